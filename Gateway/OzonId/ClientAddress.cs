namespace OzonActors.Gateway.OzonId;

/// <summary>The address code sends are counted against (the connection's remote address; proxies are not trusted).</summary>
internal static class ClientAddress
{
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
