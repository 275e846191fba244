using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OzonActors.Persistence;

namespace OzonActors.Testing;

/// <summary>A span as a process exported it: the resource's <c>service.name</c>, the instrumentation scope, the span itself.</summary>
public sealed record ReceivedSpan(
    string Service, string Scope, ActivityTraceId TraceId, ActivitySpanId SpanId, ActivitySpanId ParentSpanId, string Name,
    ActivityKind Kind, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// An OTLP/HTTP receiver on loopback: processes started with <see cref="Environment"/> export their spans here by the
/// standard variables (http/protobuf), and a test awaits the ones it looks for. Metrics and logs are accepted and dropped.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<ReceivedSpan> _spans = [];
    private readonly AsyncSignal _arrived = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>The variables that point an OpenTelemetry SDK at this receiver, exporting spans within a fraction of a second.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; private set; } = new Dictionary<string, string?>();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            receiver.Add(OtlpTraces.Parse(await ReadBodyAsync(request)));
            return Results.Bytes([], "application/x-protobuf"); // an empty ExportTraceServiceResponse: all accepted
        });
        app.MapPost("/v1/{signal}", () => Results.Bytes([], "application/x-protobuf"));
        await app.StartAsync().ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Environment = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = address,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        };
        return receiver;
    }

    /// <summary>
    /// Returns the spans received once <paramref name="complete"/> holds for them, or what arrived by
    /// <paramref name="timeout"/> (the caller's asserts then say what is missing).
    /// </summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitForAsync(Func<IReadOnlyList<ReceivedSpan>, bool> complete, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var arrived = _arrived.Next;
            List<ReceivedSpan> spans;
            lock (_lock)
            {
                spans = [.. _spans];
            }

            if (complete(spans))
            {
                return spans;
            }

            try
            {
                await arrived.WaitAsync(cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return spans;
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    private void Add(IEnumerable<ReceivedSpan> spans)
    {
        lock (_lock)
        {
            _spans.AddRange(spans);
        }

        _arrived.Pulse();
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        var source = request.Headers.ContentEncoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body;
        await using (source.ConfigureAwait(false))
        {
            await source.CopyToAsync(body).ConfigureAwait(false);
        }

        return body.ToArray();
    }
}

/// <summary>
/// Reads the few fields of an OTLP <c>ExportTraceServiceRequest</c> a test asserts on, by their field numbers in
/// opentelemetry-proto's trace.proto, common.proto and resource.proto; every other field is skipped.
/// </summary>
internal static class OtlpTraces
{
    public static List<ReceivedSpan> Parse(byte[] request)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var resourceSpans in Messages(ByteString.CopyFrom(request), 1))
        {
            // ResourceSpans: 1 resource (Resource: 1 attributes), 2 scope_spans.
            var resource = Messages(resourceSpans, 1).SelectMany(r => Attributes(r, 1)).ToDictionary();
            var service = resource.GetValueOrDefault("service.name", "");
            foreach (var scopeSpans in Messages(resourceSpans, 2))
            {
                // ScopeSpans: 1 scope (InstrumentationScope: 1 name), 2 spans.
                var scope = Messages(scopeSpans, 1).Select(s => Text(s, 1)).FirstOrDefault() ?? "";
                spans.AddRange(Messages(scopeSpans, 2).Select(span => Span(service, scope, span)));
            }
        }

        return spans;
    }

    /// <summary>Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind (0 unspecified, 1 internal, 2 server...), 9 attributes.</summary>
    private static ReceivedSpan Span(string service, string scope, ByteString span)
    {
        var fields = Fields(span);
        var parent = Bytes(fields, 4);
        var kind = (int)fields.Where(f => f.Number == 6).Select(f => f.Varint).FirstOrDefault();
        return new ReceivedSpan(service, scope,
            ActivityTraceId.CreateFromBytes(Bytes(fields, 1)),
            ActivitySpanId.CreateFromBytes(Bytes(fields, 2)),
            parent.Length == 0 ? default : ActivitySpanId.CreateFromBytes(parent),
            Text(span, 5) ?? "",
            kind == 0 ? ActivityKind.Internal : (ActivityKind)(kind - 1),
            Attributes(span, 9).ToDictionary());
    }

    /// <summary>KeyValue: 1 key, 2 value (AnyValue: 1 string_value); values of other types are left out.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Attributes(ByteString message, int field) =>
        from pair in Messages(message, field)
        let value = Messages(pair, 2).Select(v => Text(v, 1)).FirstOrDefault()
        where value is not null
        select KeyValuePair.Create(Text(pair, 1) ?? "", value);

    private static IEnumerable<ByteString> Messages(ByteString message, int field) =>
        Fields(message).Where(f => f.Number == field && f.Bytes is not null).Select(f => f.Bytes!);

    private static string? Text(ByteString message, int field) => Messages(message, field).Select(b => b.ToStringUtf8()).FirstOrDefault();

    private static byte[] Bytes(List<(int Number, ByteString? Bytes, ulong Varint)> fields, int field) =>
        fields.Where(f => f.Number == field && f.Bytes is not null).Select(f => f.Bytes!.ToByteArray()).FirstOrDefault() ?? [];

    private static List<(int Number, ByteString? Bytes, ulong Varint)> Fields(ByteString message)
    {
        var fields = new List<(int, ByteString?, ulong)>();
        var input = message.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            switch (WireFormat.GetTagWireType(tag))
            {
                case WireFormat.WireType.LengthDelimited:
                    fields.Add((number, input.ReadBytes(), 0));
                    break;
                case WireFormat.WireType.Varint:
                    fields.Add((number, null, input.ReadUInt64()));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return fields;
    }
}
