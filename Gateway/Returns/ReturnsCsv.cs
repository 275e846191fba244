using System.Globalization;
using OzonActors.Gateway.Api;
using OzonActors.Returns;

namespace OzonActors.Gateway.Returns;

/// <summary>
/// The returns report's CSV (RFC 4180) in the reader's language. English is the format consumers have always read:
/// commas, invariant numbers, ISO-8601 instants and enum names. Russian is what a Russian spreadsheet opens as columns
/// of dates and numbers: a Russian header, <c>;</c> between cells, decimal commas, <c>dd.MM.yyyy HH:mm</c> in Moscow time
/// and the pages' words for statuses, roles and quality. In both, a cell holding the separator, a quote or a line break
/// is quoted, and one a spreadsheet would run as a formula gets a leading apostrophe.
/// </summary>
public sealed class ReturnsCsv
{
    /// <summary>Commas, invariant numbers, ISO-8601 instants, enum names: unchanged for existing consumers.</summary>
    public static ReturnsCsv English { get; } = new(
        ',', "returns-report.csv",
        ["id", "createdAt", "status", "nextActor", "dueAt", "processedBy", "orderId", "lineId", "productName", "quantity", "price",
            "quality", "reason", "trackingNumber", "refundTotal", "customerId"],
        at => at.ToString("O", CultureInfo.InvariantCulture),
        amount => amount.ToString(CultureInfo.InvariantCulture),
        status => status.ToString(), actor => actor.ToString(), processor => processor.ToString(), quality => quality.ToString());

    /// <summary>Semicolons, decimal commas, Moscow time, Russian words: what Excel set to Russian opens as columns.</summary>
    public static ReturnsCsv Russian { get; } = new(
        ';', "returns-report-ru.csv",
        ["Номер заявки", "Создана", "Статус", "Кто действует", "Срок", "Обрабатывает", "Номер заказа", "Позиция", "Товар", "Количество",
            "Цена, ₽", "Качество", "Причина", "Трек-номер", "Сумма возврата, ₽", "ID покупателя"],
        at => TimeZoneInfo.ConvertTime(at, BusinessCalendar.Zone).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture),
        amount => amount.ToString("0.00##", DecimalComma),
        status => RussianReturnTexts.Statuses[status], actor => RussianReturnTexts.Actors[actor],
        processor => RussianReturnTexts.Processors[processor], quality => RussianReturnTexts.Qualities[quality]);

    private static readonly NumberFormatInfo DecimalComma = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "" };

    private readonly char _separator;
    private readonly char[] _quoted;
    private readonly Func<DateTimeOffset, string> _instant;
    private readonly Func<decimal, string> _amount;
    private readonly Func<ReturnStatus, string> _status;
    private readonly Func<ReturnActorRole, string> _actor;
    private readonly Func<ReturnProcessor, string> _processor;
    private readonly Func<ReturnQuality, string> _quality;

    private ReturnsCsv(
        char separator, string fileName, string[] header, Func<DateTimeOffset, string> instant, Func<decimal, string> amount,
        Func<ReturnStatus, string> status, Func<ReturnActorRole, string> actor, Func<ReturnProcessor, string> processor,
        Func<ReturnQuality, string> quality)
    {
        _separator = separator;
        _quoted = [separator, '"', '\r', '\n'];
        FileName = fileName;
        _instant = instant;
        _amount = amount;
        _status = status;
        _actor = actor;
        _processor = processor;
        _quality = quality;
        Header = string.Join(separator, header.Select(Cell));
    }

    /// <summary>The report in <paramref name="language"/> (<see cref="ReaderLanguage"/>).</summary>
    public static ReturnsCsv For(string language) => language == ReaderLanguage.English ? English : Russian;

    public string FileName { get; }

    public string Header { get; }

    public string Line(ReturnSummary r) => string.Join(_separator,
        r.Id.ToString(), _instant(r.CreatedAt), _status(r.Status), r.NextActor is { } next ? _actor(next) : "",
        r.DueAt is { } due ? _instant(due) : "", _processor(r.ProcessedBy), Cell(r.OrderId), Cell(r.LineId), Cell(r.ProductName),
        r.Quantity.ToString(CultureInfo.InvariantCulture), _amount(r.Price), _quality(r.Quality), Cell(r.Reason),
        Cell(r.TrackingNumber ?? ""), r.RefundTotal is { } refund ? _amount(refund) : "", r.CustomerId.ToString());

    /// <summary>A cell as written: a leading apostrophe before what a spreadsheet would run, quotes around what needs them.</summary>
    public string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(_quoted) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
