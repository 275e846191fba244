using System.Diagnostics;
using Npgsql;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Reliability;

/// <summary>
/// A PostgreSQL server of one test's own (initdb and pg_ctl from <c>/usr/lib/postgresql/15/bin</c>, as user <c>postgres</c>
/// when run as root), so the test can stop it and start it again without touching the server other tests share.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _directory;
    private readonly int _port;

    private PrivatePostgres(string directory, int port)
    {
        _directory = directory;
        _port = port;
    }

    private string Data => Path.Combine(_directory, "data");

    /// <summary>The connection string of the database <c>ozon</c> on this server.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Username = "postgres",
        Database = "ozon",
    }.ConnectionString;

    public static async Task<PrivatePostgres> StartAsync()
    {
        var server = new PrivatePostgres(Directory.CreateTempSubdirectory("ozon-outage-pg-").FullName, GatewayProcess.FreePort());
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", ["-R", "postgres:postgres", server._directory]);
        }

        await server.PgAsync(Path.Combine(Bin, "initdb"), "-D", server.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        await server.StartAgainAsync();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand("CREATE DATABASE ozon", connection);
        await create.ExecuteNonQueryAsync();
        return server;
    }

    /// <summary><c>pg_ctl stop -m fast</c>: sessions are ended and the server shuts down cleanly.</summary>
    public Task StopAsync() => PgAsync(Path.Combine(Bin, "pg_ctl"), "-D", Data, "-m", "fast", "-w", "stop");

    public Task StartAgainAsync() => PgAsync(Path.Combine(Bin, "pg_ctl"), "-D", Data, "-w", "-l", Path.Combine(_directory, "server.log"), "-o",
        $"-p {_port} -k {_directory} -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off", "start");

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
        {
            await PgAsync(Path.Combine(Bin, "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "stop");
        }

        Directory.Delete(_directory, recursive: true);
    }

    private Task PgAsync(string program, params string[] arguments) =>
        Environment.UserName == "root" ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private static async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
