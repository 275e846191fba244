using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OzonActors.Persistence.Activation;
using OzonActors.Persistence.Hosting;

namespace OzonActors.Testing;

/// <summary>What a <see cref="TestCluster"/> runs: its storage, clock, grains and configuration.</summary>
public sealed class TestClusterOptions
{
    /// <summary>PostgreSQL connection string; null runs on the in-memory providers.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The clock; share one between clusters to restart "later" on the same timeline.</summary>
    public ManualTimeProvider Time { get; set; } = new();

    public Action<GrainRuntimeBuilder> Grains { get; set; } = _ => { };

    /// <summary>Extra configuration keys (e.g. <c>Runtime:CollectionAge</c>).</summary>
    public Dictionary<string, string?> Configuration { get; } = [];

    public Action<IServiceCollection> Services { get; set; } = _ => { };
}

/// <summary>
/// An in-process silo for tests, in the spirit of Orleans' TestCluster: the real runtime with a fake clock that
/// fires due reminders and idle collection when advanced.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestCluster(TestClusterOptions options, IHost host)
    {
        Options = options;
        _host = host;
    }

    public TestClusterOptions Options { get; }

    public ManualTimeProvider Time => Options.Time;

    public IServiceProvider Services => _host.Services;

    public IGrainFactory GrainFactory => Services.GetRequiredService<IGrainFactory>();

    /// <summary>Activations currently in memory.</summary>
    public int ActivationCount => Services.GetRequiredService<Catalog>().ActivationCount;

    public static async Task<TestCluster> StartAsync(TestClusterOptions options)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(options.Configuration);
        if (options.ConnectionString is not null)
        {
            builder.Configuration["ConnectionStrings:Postgres"] = options.ConnectionString;
        }

        builder.Services.AddSingleton<TimeProvider>(options.Time);
        builder.Services.AddGrainRuntime(builder.Configuration, options.Grains);
        options.Services(builder.Services);
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return new TestCluster(options, host);
    }

    public static Task<TestCluster> StartAsync(Action<TestClusterOptions> configure)
    {
        var options = new TestClusterOptions();
        configure(options);
        return StartAsync(options);
    }

    /// <summary>Moves the clock, then waits until every reminder due by then was handled and idle collection finished.</summary>
    public async Task AdvanceTimeAsync(TimeSpan delta)
    {
        Time.Advance(delta);
        await FireDueRemindersAsync().ConfigureAwait(false);
        await Services.GetRequiredService<Catalog>().WaitForCollectionAsync().ConfigureAwait(false);
    }

    /// <summary>Handles every reminder due now and returns when none is left.</summary>
    public Task FireDueRemindersAsync() => Services.FireDueRemindersAsync();

    /// <summary>A graceful stop: activations are deactivated, nothing is lost.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops this cluster and starts a new one on the same storage and clock.</summary>
    public async Task<TestCluster> RestartAsync()
    {
        await DisposeAsync().ConfigureAwait(false);
        return await StartAsync(Options).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _host.Dispose();
    }
}
