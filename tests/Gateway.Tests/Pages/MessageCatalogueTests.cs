using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OzonActors.Gateway.Api;
using OzonActors.Gateway.Tests.Support;
using OzonActors.OzonId;
using OzonActors.Referral;
using OzonActors.Returns;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Pages;

/// <summary>
/// The pages' message catalogues (Gateway/wwwroot/i18n/ru.json and en.json): the same keys in both languages, the same
/// holes in both translations of a message, every plural form a language needs, a message for every key the pages ask
/// for, for every value of the enums they show and for every error type the API answers, and no text left in the
/// pages' markup outside the catalogue.
/// </summary>
public sealed partial class MessageCatalogueTests
{
    private static readonly string WebRoot = PageCatalogue.WebRoot;

    /// <summary>The plural forms (CLDR categories) each language's messages must give for a number.</summary>
    private static readonly Dictionary<string, string[]> PluralForms = new()
    {
        ["ru"] = ["one", "few", "many", "other"],
        ["en"] = ["one", "other"],
    };

    public static TheoryData<string> Languages => ["ru", "en"];

    [Fact]
    public void Both_languages_have_the_same_messages_with_the_same_holes()
    {
        var ru = Flatten(Catalogue("ru"));
        var en = Flatten(Catalogue("en"));
        Assert.Empty(ru.Keys.Except(en.Keys).Select(k => $"only in ru.json: {k}"));
        Assert.Empty(en.Keys.Except(ru.Keys).Select(k => $"only in en.json: {k}"));
        var differentHoles = ru.Keys
            .Where(key => !Holes(ru[key]).SetEquals(Holes(en[key])))
            .Select(key => $"{key}: ru {string.Join(',', Holes(ru[key]))} / en {string.Join(',', Holes(en[key]))}");
        Assert.Empty(differentHoles);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_message_is_text_or_all_plural_forms_of_the_language(string language)
    {
        var wrong = Flatten(Catalogue(language))
            .Where(pair => pair.Value is not JsonValue && !(pair.Value is JsonObject forms
                && PluralForms[language].All(form => forms[form] is JsonValue)
                && forms.Select(f => f.Key).All(PluralForms[language].Contains)))
            .Select(pair => pair.Key);
        Assert.Empty(wrong);
        Assert.Empty(Flatten(Catalogue(language)).Where(pair => pair.Value is JsonValue v && string.IsNullOrWhiteSpace(v.GetValue<string>())).Select(p => p.Key));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_key_the_pages_ask_for_is_in_the_catalogue(string language)
    {
        var messages = Flatten(Catalogue(language));
        var asked = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(WebRoot, "*.html"))
        {
            var html = File.ReadAllText(file);
            asked.UnionWith(DataI18n().Matches(html).Select(m => m.Groups["key"].Value));
            foreach (Match attributes in DataI18nAttr().Matches(html))
            {
                asked.UnionWith(attributes.Groups["pairs"].Value.Split(';').Select(pair => pair.Split(':')[1].Trim()));
            }
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(WebRoot, "js"), "*.js"))
        {
            asked.UnionWith(LiteralKey().Matches(File.ReadAllText(file)).Select(m => m.Groups["key"].Value));
        }

        Assert.True(asked.Count > 100, $"Only {asked.Count} keys found: the patterns no longer match the pages.");
        NoneMissing(asked.Where(key => !messages.ContainsKey(key)));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_status_role_category_action_and_live_event_the_pages_show_has_a_message(string language)
    {
        var messages = Flatten(Catalogue(language));
        var needed = Enum.GetNames<ReturnStatus>().Select(s => $"returns.status.{s}")
            .Concat(Enum.GetNames<DisputeStage>().Select(s => $"returns.disputeStage.{s}"))
            .Concat(Enum.GetNames<OfferOutcome>().Select(s => $"returns.offerOutcome.{s}"))
            .Concat(Enum.GetNames<ReturnQuality>().Select(s => $"returns.quality.{s}"))
            .Concat(Enum.GetNames<ProductCategory>().Select(s => $"categories.{s}"))
            .Concat(Enum.GetNames<ReturnActorRole>().Concat(Enum.GetNames<CompanyRole>()).Select(s => $"roles.{s}"))
            .Concat(Enum.GetNames<LedgerEntryKind>().Select(s => $"referral.kind.{s}"))
            .Concat(Enum.GetNames<ReferralCorrectionReason>().Select(s => $"referral.correction.{s}"))
            // The actions of the seller's and the customer's pages (a moderator decides disputes elsewhere).
            .Concat(Enum.GetValues<ReturnAction>().Where(a => a != ReturnAction.DecideDispute).Select(a => $"returns.actions.{a}.label"))
            .Concat(LiveEventTypeNames().SelectMany(type => new[] { $"live.types.{type}", $"live.text.{type}" }));
        NoneMissing(needed.Where(key => !messages.ContainsKey(key)));
    }

    /// <summary>
    /// Every ProblemDetails type the API can answer (a code given to a DomainException or to ProblemTypes anywhere in the
    /// source, or a status's default) has a message people read in place of the English <c>detail</c>.
    /// </summary>
    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_error_type_the_API_answers_has_a_message(string language)
    {
        var root = GatewayProcess.RepositoryRoot();
        var codes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var project in new[] { "Gateway", "Grains", "Grains.Abstractions", "Persistence" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, project), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                var source = File.ReadAllText(file);
                codes.UnionWith(ErrorCode().Matches(source).Select(m => m.Groups["code"].Value));
            }
        }

        codes.UnionWith(new[] { 400, 401, 403, 404, 405, 409, 413, 414, 415, 429, 503, 500 }.Select(status => ProblemTypes.ForStatus(status)[ProblemTypes.Base.Length..]));
        Assert.Contains("invalid-transition", codes);
        Assert.Contains("storage-unavailable", codes);
        var messages = Flatten(Catalogue(language));
        NoneMissing(codes.Select(code => $"errors.{code}").Where(key => !messages.ContainsKey(key)));
    }

    /// <summary>
    /// Every word of the pages' markup comes from the catalogue: what is left outside <c>data-i18n</c> is a name that no
    /// language translates (the brand, the Star Products program); every title, placeholder, aria-label and alt with
    /// words in it is set by <c>data-i18n-attr</c>.
    /// </summary>
    [Fact]
    public void The_pages_markup_has_no_text_outside_the_catalogue()
    {
        var leftovers = new List<string>();
        foreach (var file in Directory.EnumerateFiles(WebRoot, "*.html"))
        {
            var html = Comments().Replace(File.ReadAllText(file), "");
            html = Scripts().Replace(html, "");
            html = TranslatedElement().Replace(html, "");
            var text = Tags().Replace(html, " ");
            leftovers.AddRange(Words().Matches(System.Net.WebUtility.HtmlDecode(text))
                .Select(m => m.Value)
                .Where(word => word is not ("Ozon" or "Actors" or "Star" or "Products"))
                .Select(word => $"{Path.GetFileName(file)}: {word}"));
            Assert.Contains("<html lang=\"ru\">", html, StringComparison.Ordinal);

            // Attributes people read (a tooltip, a placeholder, a name for a screen reader) come from data-i18n-attr too;
            // an example value (an email address) is no text to translate.
            foreach (Match tag in Tags().Matches(html))
            {
                var translated = DataI18nAttr().Match(tag.Value).Groups["pairs"].Value.Split(';').Select(pair => pair.Split(':')[0].Trim());
                leftovers.AddRange(ReadAttribute().Matches(tag.Value)
                    .Where(a => Words().IsMatch(a.Groups["value"].Value) && !a.Groups["value"].Value.Contains('@', StringComparison.Ordinal)
                        && !translated.Contains(a.Groups["name"].Value))
                    .Select(a => $"{Path.GetFileName(file)}: {a.Groups["name"].Value}={a.Groups["value"].Value}"));
            }
        }

        Assert.Empty(leftovers);
    }

    private static void NoneMissing(IEnumerable<string> missing)
    {
        var list = missing.ToList();
        Assert.True(list.Count == 0, $"Missing from the catalogue: {string.Join(", ", list)}");
    }

    private static IEnumerable<string> LiveEventTypeNames() =>
        typeof(LiveEventTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);

    private static JsonObject Catalogue(string language) => PageCatalogue.Load(language);

    /// <summary>Dotted key → message (a string, or an object of plural forms).</summary>
    private static Dictionary<string, JsonNode> Flatten(JsonObject catalogue)
    {
        var messages = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        void Walk(JsonObject node, string prefix)
        {
            foreach (var (name, value) in node)
            {
                var key = prefix.Length == 0 ? name : $"{prefix}.{name}";
                if (value is JsonObject child && !child.ContainsKey("other"))
                {
                    Walk(child, key);
                }
                else
                {
                    messages[key] = value!;
                }
            }
        }

        Walk(catalogue, "");
        return messages;
    }

    /// <summary>The named holes of a message, over all its plural forms.</summary>
    private static HashSet<string> Holes(JsonNode message)
    {
        var texts = message is JsonObject forms ? forms.Select(f => f.Value!.GetValue<string>()) : [message.GetValue<string>()];
        var holes = texts.SelectMany(text => Hole().Matches(text).Select(m => m.Groups["name"].Value)).ToHashSet(StringComparer.Ordinal);
        // A plural form may leave the number out ("one point" written as a word); the count is still what chooses it.
        holes.Remove("count");
        return holes;
    }

    [GeneratedRegex(@"\{(?<name>\w+)\}")]
    private static partial Regex Hole();

    [GeneratedRegex(@"data-i18n=""(?<key>[\w.-]+)""")]
    private static partial Regex DataI18n();

    [GeneratedRegex(@"data-i18n-attr=""(?<pairs>[^""]+)""")]
    private static partial Regex DataI18nAttr();

    /// <summary><c>t('key'</c> or <c>t("key"</c>, <c>has('key')</c> and <c>around('key'</c>: keys written out whole in the scripts.</summary>
    [GeneratedRegex(@"\b(?:t|has|around)\(\s*['""](?<key>[\w.-]+)['""]")]
    private static partial Regex LiteralKey();

    [GeneratedRegex(@"(?:DomainException\.\w+\(\s*|ProblemTypes\.For\(|StatusCodes\.Status\d+\w*,\s*)""(?<code>[a-z0-9]+(?:-[a-z0-9]+)*)""")]
    private static partial Regex ErrorCode();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"<(script|style)\b.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Scripts();

    /// <summary>An element whose text is set from the catalogue, with its fallback text (which holds no markup).</summary>
    [GeneratedRegex(@"<(\w+)\b[^>]*\bdata-i18n=""[^""]*""[^>]*>[^<]*</\1>", RegexOptions.Singleline)]
    private static partial Regex TranslatedElement();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\p{L}{2,}")]
    private static partial Regex Words();

    [GeneratedRegex(@"\s(?<name>title|placeholder|aria-label|alt)=""(?<value>[^""]*)""")]
    private static partial Regex ReadAttribute();
}
