using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using OzonActors.Persistence.Configuration;
using OzonActors.Persistence.Storage;

namespace OzonActors.Persistence.Facet;

/// <summary>
/// Turns a <c>[DurableState("name")] IDurableState&lt;T&gt;</c> constructor parameter into a factory that Orleans calls
/// once per activation (the same extension point as Orleans' <c>PersistentStateAttributeMapper</c>).
/// </summary>
internal sealed class DurableStateAttributeMapper : IAttributeToFactoryMapper<DurableStateAttribute>
{
    private static readonly MethodInfo CreateMethod =
        typeof(DurableStateAttributeMapper).GetMethod(nameof(Create), BindingFlags.NonPublic | BindingFlags.Static)!;

    public Factory<IGrainContext, object> GetFactory(ParameterInfo parameter, DurableStateAttribute metadata)
    {
        var type = parameter.ParameterType;
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IDurableState<>))
        {
            throw new ArgumentException(
                $"[DurableState] needs a parameter of type IDurableState<T>; '{parameter.Name}' of {parameter.Member.DeclaringType} is {type}.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(metadata.Name);
        var grainClass = parameter.Member.DeclaringType!;
        var guidKeyed = typeof(IGrainWithGuidKey).IsAssignableFrom(grainClass);
        var create = CreateMethod.MakeGenericMethod(type.GetGenericArguments()[0])
            .CreateDelegate<Func<IGrainContext, string, bool, object>>();
        return context => create(context, metadata.Name, guidKeyed);
    }

    /// <summary>
    /// The storage key keeps the text the home-made runtime stored: a Guid key in its "D" form (Orleans prints "N"),
    /// so rows written before the move to Orleans stay readable.
    /// </summary>
    internal static StateKey KeyOf(GrainId grainId, string name, bool guidKeyed) =>
        new(name, guidKeyed ? grainId.GetGuidKey().ToString("D") : grainId.Key.ToString()!);

    private static object Create<TState>(IGrainContext context, string name, bool guidKeyed)
        where TState : class, new()
    {
        var services = context.ActivationServices;
        var state = new DurableState<TState>(
            context,
            KeyOf(context.GrainId, name, guidKeyed),
            services.GetRequiredService<IGrainStorage>(),
            services.GetRequiredKeyedService<TimeProvider>(BusinessClock.Key),
            services.GetRequiredService<RuntimeSignals>(),
            services.GetRequiredService<IOptions<DeadlineOptions>>().Value,
            services.GetRequiredService<ILoggerFactory>().CreateLogger("OzonActors.Persistence.DurableState"));
        state.Participate(context.ObservableLifecycle);
        context.SetComponent<IDurableStateControl>(state);
        return state;
    }
}
