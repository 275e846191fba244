using System.Linq.Expressions;
using System.Reflection;

namespace OzonActors.Runtime.Activation;

/// <summary>
/// One method of a grain interface, prepared once: how a proxy turns a call into a typed request, and how an
/// activation invokes it on the grain instance.
/// </summary>
internal sealed class GrainMethod
{
    private static readonly MethodInfo CreateCallMethod =
        typeof(GrainMethod).GetMethod(nameof(CreateCall), BindingFlags.NonPublic | BindingFlags.Static)!;

    private GrainMethod(Type grainInterface, MethodInfo method)
    {
        Interface = grainInterface;
        Method = method;
        Name = method.Name;
        ParameterTypes = method.GetParameters().Select(p => p.ParameterType).ToArray();
        ResultType = method.ReturnType == typeof(Task) ? null : method.ReturnType.GetGenericArguments()[0];
        Invoke = CompileInvoker(grainInterface, method, ParameterTypes);
        (Call, ReadResult) = ((Func<IGrainCallRouter, GrainId, GrainMethod, object?[], object>, Func<Task, object?>))CreateCallMethod
            .MakeGenericMethod(ResultType ?? typeof(object))
            .Invoke(null, null)!;
    }

    public Type Interface { get; }

    public MethodInfo Method { get; }

    public string Name { get; }

    public Type[] ParameterTypes { get; }

    /// <summary>The <c>T</c> of <c>Task&lt;T&gt;</c>, or null for a plain <see cref="Task"/>.</summary>
    public Type? ResultType { get; }

    /// <summary>Runs the method on a grain instance.</summary>
    public Func<object, object?[], Task> Invoke { get; }

    /// <summary>Routes a proxy call; returns the <see cref="Task"/> the proxy hands to its caller.</summary>
    public Func<IGrainCallRouter, GrainId, GrainMethod, object?[], object> Call { get; }

    /// <summary>The result of a completed call task, boxed (null for a plain <see cref="Task"/>).</summary>
    public Func<Task, object?> ReadResult { get; }

    public override string ToString() => $"{Interface.Name}.{Name}";

    public static GrainMethod Create(Type grainInterface, MethodInfo method)
    {
        var returnType = method.ReturnType;
        var returnsTask = returnType == typeof(Task)
            || (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>));
        if (!returnsTask)
        {
            throw new ArgumentException(
                $"Grain method {grainInterface.FullName}.{method.Name} must return Task or Task<T>, not {returnType.Name}.");
        }

        if (method.GetParameters().Any(p => p.ParameterType.IsByRef))
        {
            throw new ArgumentException(
                $"Grain method {grainInterface.FullName}.{method.Name} has a ref or out parameter; grain arguments are values.");
        }

        return new GrainMethod(grainInterface, method);
    }

    private static (Func<IGrainCallRouter, GrainId, GrainMethod, object?[], object>, Func<Task, object?>) CreateCall<T>() =>
        (static (router, id, method, args) => router.InvokeAsync<T>(new GrainCall(id, method, args)),
         static task => ((Task<T>)task).Result);

    private static Func<object, object?[], Task> CompileInvoker(Type grainInterface, MethodInfo method, Type[] parameterTypes)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var arguments = parameterTypes
            .Select((type, i) => Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), type));
        var call = Expression.Call(Expression.Convert(grain, grainInterface), method, arguments);
        return Expression.Lambda<Func<object, object?[], Task>>(
            Expression.Convert(call, typeof(Task)), grain, args).Compile();
    }
}
