using System.Diagnostics;
using Npgsql;

namespace OzonActors.Testing;

/// <summary>
/// The PostgreSQL server tests use: the one named by <c>OZON_TEST_POSTGRES</c> (CI exports it), or else a
/// throwaway server started once per test process from the installed binaries, in a temporary directory on a
/// free loopback port, stopped and removed when the process exits. Run as root, the server runs as user <c>postgres</c>.
/// </summary>
/// <remarks>
/// The test host is often killed rather than left to exit (the runner ends it right after the last result), and a
/// killed process runs no <see cref="AppDomain.ProcessExit"/> handler, or only part of one. So a small watcher
/// process, detached from the test host, waits for it to end and then stops the server and deletes the directory;
/// the exit handler does the same at once when the host does exit normally, and the watcher then finds nothing left.
/// </remarks>
public static class PostgresServer
{
    public const string EnvironmentVariable = "OZON_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    /// <summary>A connection string to the server's <c>postgres</c> database, as a superuser.</summary>
    public static Task<string> GetConnectionStringAsync() => Server.Value;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var admin = await GetConnectionStringAsync().ConfigureAwait(false);
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, disconnecting its sessions.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(await GetConnectionStringAsync().ConfigureAwait(false));
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given)
        {
            return given;
        }

        var bin = FindBinaries();
        var directory = Directory.CreateTempSubdirectory("ozon-pg-").FullName;
        var data = Path.Combine(directory, "data");
        var asPostgres = Environment.UserName == "root";
        var pgCtl = Path.Combine(bin, "pg_ctl");

        // From here on the directory is removed however this process ends, even if the server never starts.
        await StartWatcherAsync(pgCtl, data, directory, asPostgres).ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAndRemove(pgCtl, data, directory, asPostgres);
        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", directory], asPostgres: false).ConfigureAwait(false);
        }

        await RunAsync(Path.Combine(bin, "initdb"),
            ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asPostgres).ConfigureAwait(false);
        var port = GatewayProcess.FreePort();
        await RunAsync(pgCtl,
            ["-D", data, "-w", "-l", Path.Combine(directory, "server.log"), "-o",
             $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c full_page_writes=off",
             "start"], asPostgres).ConfigureAwait(false);

        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
            MaxPoolSize = 50,
        }.ConnectionString;
    }

    /// <summary>
    /// Starts the watcher: a shell, in its own session and no child of this process (so neither a kill of this process
    /// tree nor of its group reaches it), that polls this process id, and once it is gone stops the server (as
    /// <c>postgres</c> when run as root) and deletes <paramref name="directory"/>. Its standard streams are /dev/null,
    /// so it holds no pipe of the test runner open.
    /// </summary>
    private static async Task StartWatcherAsync(string pgCtl, string data, string directory, bool asPostgres)
    {
        const string Watcher = """
            trap '' HUP INT TERM
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            if [ "$5" = 1 ]; then runuser -u postgres -- "$2" -D "$3" -m immediate stop; else "$2" -D "$3" -m immediate stop; fi
            rm -rf -- "$4"
            """;
        const string Launch = """
            watcher=$1; shift
            if command -v setsid >/dev/null 2>&1; then detach=setsid; else detach=; fi
            $detach sh -c "$watcher" ozon-pg-watcher "$@" </dev/null >/dev/null 2>&1 &
            """;
        var start = new ProcessStartInfo("sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/tmp",
        };
        foreach (var argument in (string[])["-c", Launch, "ozon-pg-launch", Watcher,
                     Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), pgCtl, data, directory, asPostgres ? "1" : "0"])
        {
            start.ArgumentList.Add(argument);
        }

        using var launcher = Process.Start(start)!;
        launcher.StandardInput.Close();
        var error = launcher.StandardError.ReadToEndAsync();
        await launcher.WaitForExitAsync().ConfigureAwait(false);
        if (launcher.ExitCode != 0)
        {
            throw new InvalidOperationException($"The watcher of {directory} did not start: {await error.ConfigureAwait(false)}");
        }
    }

    /// <summary>The exit handler: stops the server and deletes its directory, quietly (the watcher is the fallback).</summary>
    private static void StopAndRemove(string pgCtl, string data, string directory, bool asPostgres)
    {
        try
        {
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                RunAsync(pgCtl, ["-D", data, "-m", "immediate", "stop"], asPostgres).GetAwaiter().GetResult();
            }

            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Left to the watcher, which runs once this process is gone.
        }
    }

    private static string FindBinaries()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d == "/usr/lib/postgresql/15").ThenByDescending(d => d)
            : Enumerable.Empty<string>();
        return candidates.Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException(
                $"No PostgreSQL binaries under /usr/lib/postgresql: install postgresql-15, or set {EnvironmentVariable} to a server's connection string.");
    }

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/tmp",
        };
        if (asPostgres)
        {
            foreach (var argument in (string[])["-u", "postgres", "--", program])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        }
    }
}
