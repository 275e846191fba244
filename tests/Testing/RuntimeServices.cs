using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Hosting;

namespace OzonActors.Testing;

/// <summary>Test access to a running runtime's services, e.g. inside a WebApplicationFactory.</summary>
public static class RuntimeServices
{
    /// <summary>Handles every reminder due by the runtime's clock now and returns when none is left.</summary>
    public static Task FireDueRemindersAsync(this IServiceProvider services) =>
        services.GetRequiredService<GrainRuntimeHost>().Reminders.FireDueAsync();
}
