using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace OzonActors.Testing;

/// <summary>What a <see cref="TestCluster"/> runs: its storage, clock and configuration.</summary>
public sealed class TestClusterOptions
{
    /// <summary>PostgreSQL connection string; null runs on the in-memory providers.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Where <see cref="Time"/> starts unless a test gives its own clock: a Monday morning, UTC.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The business clock; share one between clusters to restart "later" on the same timeline. Only business code reads it
    /// (it is registered under <see cref="BusinessClock.Key"/>), and that code sets one-shot timers on it at most
    /// (<c>Task.Delay</c>): Orleans' own periodic timers, which <see cref="FakeTimeProvider.Advance"/> would fire once per
    /// period passed, run on the real clock.
    /// </summary>
    public FakeTimeProvider Time { get; set; } = new(DefaultStart);

    /// <summary>
    /// The Orleans service id: reminders belong to it, so a restarted cluster (same options) finds the reminders of the
    /// one before it.
    /// </summary>
    public string ServiceId { get; set; } = $"test-{Guid.NewGuid():N}";

    /// <summary>Extra configuration keys (e.g. <c>Returns:Deadlines:New</c>).</summary>
    public Dictionary<string, string?> Configuration { get; } = [];

    /// <summary>Extra silo services (e.g. an <c>IGrainWriteInterceptor</c> that injects faults).</summary>
    public Action<IServiceCollection> Services { get; set; } = _ => { };
}

/// <summary>
/// One silo of the marketplace's grains on Orleans' <see cref="InProcessTestCluster"/>, with a fake clock. Moving the
/// clock past a deadline and then <see cref="FireDueRemindersAsync"/> handles it deterministically: every reminder in
/// the table gets a tick until a pass changes nothing.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;
    private bool _stopped;

    private TestCluster(TestClusterOptions options, InProcessTestCluster cluster)
    {
        Options = options;
        _cluster = cluster;
    }

    public TestClusterOptions Options { get; }

    public FakeTimeProvider Time => Options.Time;

    /// <summary>The silo's services (storage, indexes, the event feed).</summary>
    public IServiceProvider Services => _cluster.Silos[0].ServiceProvider;

    /// <summary>Grain references through the cluster's client.</summary>
    public IGrainFactory GrainFactory => _cluster.Client;

    /// <summary>Orleans' own test cluster, for what this wrapper does not cover.</summary>
    public InProcessTestCluster Orleans => _cluster;

    public static async Task<TestCluster> StartAsync(TestClusterOptions options)
    {
        var settings = new Dictionary<string, string?>(options.Configuration);

        // Test classes run clusters with their own service ids on one database: a start-up sweep would wake the others'
        // grains. The test of the sweep turns it back on.
        settings.TryAdd("Reminders:SweepOnStart", "false");
        if (options.ConnectionString is not null)
        {
            settings["ConnectionStrings:Postgres"] = options.ConnectionString;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = options.ServiceId;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(settings);
            host.Logging.SetMinimumLevel(LogLevel.Warning);
            host.Services.AddKeyedSingleton<TimeProvider>(BusinessClock.Key, options.Time);
            options.Services(host.Services);
        });
        builder.ConfigureSilo((_, silo) => silo.AddOzonGrains(configuration));
        builder.ConfigureClientHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureClient(client => client.Services.AddSerializer(serializer => serializer.AddOzonSerialization()));
        var cluster = builder.Build();
        await cluster.DeployAsync().ConfigureAwait(false);
        return new TestCluster(options, cluster);
    }

    public static Task<TestCluster> StartAsync(Action<TestClusterOptions> configure)
    {
        var options = new TestClusterOptions();
        configure(options);
        return StartAsync(options);
    }

    /// <summary>Moves the clock, then returns once every deadline due by then has been handled.</summary>
    public async Task AdvanceTimeAsync(TimeSpan delta)
    {
        Time.Advance(delta);
        await FireDueRemindersAsync().ConfigureAwait(false);
    }

    /// <summary>Handles every deadline due now and returns when none is left.</summary>
    public Task FireDueRemindersAsync() => Services.FireDueRemindersAsync();

    /// <summary>Activations in the silo now (Orleans' own grains included).</summary>
    public async Task<int> CountActivationsAsync()
    {
        var management = GrainFactory.GetGrain<IManagementGrain>(0);
        return await management.GetTotalActivationCount().ConfigureAwait(false);
    }

    /// <summary>Deactivates the grain's activation, as idle collection would; its next call activates it again.</summary>
    public Task DeactivateAsync(IAddressable grain) => _cluster.DeactivateAsync(grain);

    /// <summary>A graceful stop: activations are deactivated, nothing is lost.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _cluster.StopAllSilosAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops this cluster and starts a new one on the same storage, clock and service id.</summary>
    public async Task<TestCluster> RestartAsync()
    {
        await DisposeAsync().ConfigureAwait(false);
        return await StartAsync(Options).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _cluster.DisposeAsync().ConfigureAwait(false);
    }
}
