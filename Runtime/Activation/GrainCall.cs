using OzonActors.Runtime.Storage;

namespace OzonActors.Runtime.Activation;

/// <summary>
/// One grain call: target, method and arguments. In-process it travels as is (arguments are immutable records);
/// <see cref="GrainCallCodec"/> turns it into JSON (interface, method, arguments) to cross a process boundary.
/// </summary>
internal readonly record struct GrainCall(GrainId Target, GrainMethod Method, object?[] Arguments, ReminderAck? Reminder = null);

/// <summary>Delivers grain calls to wherever the target grain lives.</summary>
internal interface IGrainCallRouter
{
    Task<T> InvokeAsync<T>(GrainCall call);
}
