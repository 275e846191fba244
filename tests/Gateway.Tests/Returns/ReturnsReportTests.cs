using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Returns;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Returns;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Returns;

/// <summary>The returns report in the reader's language: Russian unless English is asked for.</summary>
public sealed class ReturnsReportTests : IDisposable
{
    private const string RussianHeader =
        "Номер заявки;Создана;Статус;Кто действует;Срок;Обрабатывает;Номер заказа;Позиция;Товар;Количество;Цена, ₽;Качество;Причина;" +
        "Трек-номер;Сумма возврата, ₽;ID покупателя";

    private const string EnglishHeader =
        "id,createdAt,status,nextActor,dueAt,processedBy,orderId,lineId,productName,quantity,price,quality,reason,trackingNumber,refundTotal,customerId";

    private static readonly Guid Id = Guid.Parse("0b95c76e-9b20-432d-9fe5-d1e1d1e0a1b5");
    private static readonly Guid Customer = Guid.Parse("b7c07d51-affa-49f1-99ee-178601767aea");

    private readonly GatewayFactory _factory = new();
    private readonly ApiClient _api;

    public ReturnsReportTests() => _api = _factory.CreateApi();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public void A_Russian_line_has_semicolons_decimal_commas_Moscow_time_and_the_pages_words()
    {
        // 21:30 UTC on 28 November is 00:30 on the 29th in Moscow.
        var line = ReturnsCsv.Russian.Line(Summary("Чайник; сталь, 1,7 л", "=HYPERLINK(\"x\")", 25990.5m, 123.456m));

        Assert.Equal(
            $"{Id};29.11.2026 00:30;Возврат в пути;Продавец;30.11.2026 00:30;Ozon;ord-1;L1;\"Чайник; сталь, 1,7 л\";2;25990,50;" +
            $"Ненадлежащее (брак, не тот товар или повреждение);\"'=HYPERLINK(\"\"x\"\")\";RR1;123,456;{Customer}",
            line);
        Assert.Equal(RussianHeader, ReturnsCsv.Russian.Header);
    }

    [Fact]
    public void An_English_line_keeps_the_format_consumers_read_commas_invariant_numbers_ISO_instants_and_enum_names()
    {
        var line = ReturnsCsv.English.Line(Summary("Kettle; steel, 1.7 l", "=HYPERLINK(\"x\")", 25990.5m, 123.456m));

        Assert.Equal(
            $"{Id},2026-11-28T21:30:00.0000000+00:00,ReturnOnTheWay,Seller,2026-11-29T21:30:00.0000000+00:00,Marketplace,ord-1,L1," +
            $"\"Kettle; steel, 1.7 l\",2,25990.5,Improper,\"'=HYPERLINK(\"\"x\"\")\",RR1,123.456,{Customer}",
            line);
        Assert.Equal(EnglishHeader, ReturnsCsv.English.Header);
    }

    [Fact]
    public void The_reports_Russian_words_are_the_page_catalogues_and_the_English_report_names_what_the_English_catalogue_translates()
    {
        var ru = Catalogue("ru");
        Assert.Equal(Words(ru["returns"]!["status"]!), Enum.GetValues<ReturnStatus>().ToDictionary(s => s.ToString(), s => RussianReturnTexts.Statuses[s]));
        Assert.Equal(Words(ru["returns"]!["quality"]!), Enum.GetValues<ReturnQuality>().ToDictionary(q => q.ToString(), q => RussianReturnTexts.Qualities[q]));
        var roles = Words(ru["roles"]!);
        Assert.All(Enum.GetValues<ReturnActorRole>(), actor => Assert.Equal(roles[actor.ToString()], RussianReturnTexts.Actors[actor]));
        Assert.All(Enum.GetValues<ReturnProcessor>(), processor => Assert.Equal(roles[processor.ToString()], RussianReturnTexts.Processors[processor]));

        // The English report writes the enum names: each is a status the English catalogue has words for.
        Assert.Equal(Enum.GetNames<ReturnStatus>().Order(), Words(Catalogue("en")["returns"]!["status"]!).Keys.Order());
    }

    [Fact]
    public async Task The_report_is_in_Russian_unless_the_lang_parameter_or_Accept_Language_asks_for_English_and_a_program_naming_no_language_keeps_the_old_format()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var orderId = $"ord-{Guid.NewGuid():N}";
        var order = ReturnsApi.OrderBody(orderId, customer.OzonId, seller.CompanyId, price: 25990.5m);
        using (var recorded = await _api.PostOrderAsync(order))
        {
            Assert.Equal(HttpStatusCode.Accepted, recorded.StatusCode);
        }

        var created = await _api.CreateReturnAsync(customer, orderId);
        var token = seller.Tokens.AccessToken;

        var (russian, russianName) = await ReportAsync(token, "", "ru-RU,ru;q=0.9");
        Assert.Equal(RussianHeader, russian[0]);
        Assert.Equal("returns-report-ru.csv", russianName);
        var moscow = TimeZoneInfo.ConvertTime(created["createdAt"]!.GetValue<DateTimeOffset>(), BusinessCalendar.Zone);
        Assert.StartsWith($"{created["id"]};{moscow:dd.MM.yyyy HH:mm};Новая заявка;Продавец;", russian[1], StringComparison.Ordinal);
        Assert.Contains($";{orderId};L1;\"Kettle, \"\"steel\"\"\";1;25990,50;Ненадлежащее (брак, не тот товар или повреждение);", russian[1],
            StringComparison.Ordinal);

        var (english, englishName) = await ReportAsync(token, "", "en-US,en;q=0.9,ru;q=0.8");
        Assert.Equal(EnglishHeader, english[0]);
        Assert.Equal("returns-report.csv", englishName);
        Assert.Contains(",New,Seller,", english[1], StringComparison.Ordinal);
        Assert.Contains(",25990.5,Improper,", english[1], StringComparison.Ordinal);

        // Accept-Language by quality, languages we do not speak skipped, none of ours: Russian; ?lang= wins over it.
        Assert.Equal(EnglishHeader, (await ReportAsync(token, "", "de-DE, en;q=0.5")).Lines[0]);
        Assert.Equal(RussianHeader, (await ReportAsync(token, "", "en;q=0.3, ru-RU;q=0.8")).Lines[0]);
        Assert.Equal(RussianHeader, (await ReportAsync(token, "", "fr-FR, en;q=0")).Lines[0]);
        Assert.Equal(EnglishHeader, (await ReportAsync(token, "?lang=en", "ru-RU")).Lines[0]);
        Assert.Equal(RussianHeader, (await ReportAsync(token, "?lang=RU", "en-GB")).Lines[0]);

        // No lang and no Accept-Language: a program, which gets the format it always got.
        Assert.Equal(EnglishHeader, (await ReportAsync(token, "", null)).Lines[0]);
        // Nor does a wildcard name one (Node's fetch sends `Accept-Language: *` unless told otherwise).
        Assert.Equal(EnglishHeader, (await ReportAsync(token, "", "*")).Lines[0]);
        Assert.Equal(RussianHeader, (await ReportAsync(token, "", "*, ru;q=0.5")).Lines[0]);

        var refused = await _api.SendAsync(HttpMethod.Get, "/api/seller/returns/report.csv?lang=de", token, null, HttpStatusCode.BadRequest);
        Assert.Equal("https://ozon-actors/errors/invalid-query", refused.ProblemType());
    }

    private async Task<(string[] Lines, string? FileName)> ReportAsync(string token, string query, string? acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/seller/returns/report.csv{query}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var response = await _api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        return (text.Split("\r\n".ToCharArray(), StringSplitOptions.RemoveEmptyEntries), response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    private static ReturnSummary Summary(string productName, string reason, decimal price, decimal refund)
    {
        var createdAt = new DateTimeOffset(2026, 11, 28, 21, 30, 0, TimeSpan.Zero);
        return new ReturnSummary(
            Id, "ord-1", "L1", productName, Guid.NewGuid(), Customer, price, 2, ReturnQuality.Improper, reason, ReturnStatus.ReturnOnTheWay,
            null, ReturnActorRole.Seller, createdAt.AddDays(1), ReturnProcessor.Marketplace, createdAt, createdAt, "RR1", refund,
            new Dictionary<ReturnActorRole, IReadOnlyList<ReturnAction>>());
    }

    private static JsonNode Catalogue(string language) => PageCatalogue.Load(language);

    private static Dictionary<string, string> Words(JsonNode section) =>
        section.AsObject().ToDictionary(pair => pair.Key, pair => pair.Value!.GetValue<string>());
}
