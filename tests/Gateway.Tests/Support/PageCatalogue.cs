using System.Text.Json.Nodes;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Support;

/// <summary>The web pages' message catalogues (Gateway/wwwroot/i18n/&lt;language&gt;.json), as the tests read them.</summary>
public static class PageCatalogue
{
    /// <summary>The folder the pages are served from.</summary>
    public static string WebRoot { get; } = Path.Combine(GatewayProcess.RepositoryRoot(), "Gateway", "wwwroot");

    /// <summary>The whole catalogue of a language.</summary>
    public static JsonObject Load(string language) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(WebRoot, "i18n", $"{language}.json")))!.AsObject();

    /// <summary>A message by its dotted key.</summary>
    public static string Message(string language, string key)
    {
        JsonNode? node = Load(language);
        foreach (var part in key.Split('.'))
        {
            node = node?[part];
        }

        return node?.GetValue<string>() ?? throw new KeyNotFoundException($"No message {key} in the {language} catalogue.");
    }
}
