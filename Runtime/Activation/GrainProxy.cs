using System.Reflection;

namespace OzonActors.Runtime.Activation;

/// <summary>
/// The object a caller holds for a grain. Every interface call becomes a <see cref="GrainCall"/> routed by the runtime;
/// nothing here touches the grain instance.
/// </summary>
#pragma warning disable CA1852 // DispatchProxy needs an unsealed proxy type.
internal class GrainProxy : DispatchProxy
#pragma warning restore CA1852
{
    private IGrainCallRouter _router = null!;
    private GrainInterfaceInfo _interface = null!;
    private GrainId _id;

    public static object Create(Type grainInterface, GrainInterfaceInfo info, GrainId id, IGrainCallRouter router)
    {
        var proxy = (GrainProxy)Create(grainInterface, typeof(GrainProxy));
        proxy._router = router;
        proxy._interface = info;
        proxy._id = id;
        return proxy;
    }

    public override string ToString() => $"{_interface.Type.Name}({_id})";

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var method = _interface.ByMethod[targetMethod];
        return method.Call(_router, _id, method, args ?? []);
    }
}
