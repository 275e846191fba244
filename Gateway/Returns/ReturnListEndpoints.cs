using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OzonActors.Gateway.Api;
using OzonActors.Gateway.Auth;
using OzonActors.Returns;
using OzonActors.Persistence;
using OzonActors.Persistence.Storage;

namespace OzonActors.Gateway.Returns;

/// <summary>A page of a list.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize);

/// <summary>
/// The seller's returns report (with its CSV) and the customer's own requests and orders. The lists are grain indexes
/// written in the same transaction as each request, so they are never behind a command that has returned.
/// </summary>
public static class ReturnListEndpoints
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 200;
    private const int CsvBatch = 1000;

    public static IEndpointRouteBuilder MapReturnListsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/seller/returns", SellerReturnsAsync).RequireAuthorization(Policies.Seller).WithTags("Returns").WithName("SellerReturns");
        app.MapGet("/api/seller/returns/report.csv", SellerReportAsync).RequireAuthorization(Policies.Seller).WithTags("Returns")
            .Produces<string>(contentType: "text/csv").WithName("SellerReturnsReport");
        app.MapGet("/api/customer/returns", CustomerReturnsAsync).RequireAuthorization(Policies.Person).WithTags("Returns").WithName("CustomerReturns");
        app.MapGet("/api/customer/orders", CustomerOrdersAsync).RequireAuthorization(Policies.Person).WithTags("Returns").WithName("CustomerOrders");
        return app;
    }

    private static async Task<Ok<ListPage<ReturnSummary>>> SellerReturnsAsync(
        ClaimsPrincipal user, IGrainIndex index, string? status, string? from, string? to, string? needsAction, int? page, int? pageSize,
        CancellationToken cancellationToken)
    {
        var (companyId, _, _) = user.GetCaller().RequireSeller();
        return TypedResults.Ok(await QueryAsync<ReturnSummary>(
            index, Filter(SellerIndex(needsAction), companyId, status, from, to), page, pageSize, cancellationToken));
    }

    private static async Task<Ok<ListPage<ReturnSummary>>> CustomerReturnsAsync(
        ClaimsPrincipal user, IGrainIndex index, string? status, string? from, string? to, int? page, int? pageSize, CancellationToken cancellationToken) =>
        TypedResults.Ok(await QueryAsync<ReturnSummary>(
            index, Filter(ReturnIndexes.CustomerReturns, user.GetCaller().OzonId, status, from, to), page, pageSize, cancellationToken));

    private static async Task<Ok<ListPage<OrderView>>> CustomerOrdersAsync(
        ClaimsPrincipal user, IGrainIndex index, int? page, int? pageSize, CancellationToken cancellationToken) =>
        TypedResults.Ok(await QueryAsync<OrderView>(
            index, new GrainIndexQuery(ReturnIndexes.CustomerOrders, user.GetCaller().OzonId.ToString()), page, pageSize, cancellationToken));

    /// <summary>
    /// Every request the filter matches, newest first, as CSV in the reader's language (<see cref="ReaderLanguage"/>:
    /// <c>?lang=</c>, else Accept-Language, else Russian), UTF-8 with a BOM so spreadsheets read Cyrillic right. A request
    /// that names no language (a program reading the report, as before there were languages) keeps the English format.
    /// </summary>
    private static async Task SellerReportAsync(
        HttpContext context, IGrainIndex index, string? status, string? from, string? to, string? needsAction, CancellationToken cancellationToken)
    {
        var (companyId, _, _) = context.User.GetCaller().RequireSeller();
        var filter = Filter(SellerIndex(needsAction), companyId, status, from, to);
        var language = ReaderLanguage.Of(context.Request, unstated: ReaderLanguage.English);
        var csv = ReturnsCsv.For(language);
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentLanguage = language;
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{csv.FileName}\"";
        context.Response.Headers.Vary = "Accept-Language";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        await writer.WriteLineAsync(csv.Header);
        for (var skip = 0; ; skip += CsvBatch)
        {
            var page = await index.QueryAsync(filter with { Skip = skip, Take = CsvBatch }, cancellationToken);
            foreach (var row in page.Rows)
            {
                await writer.WriteLineAsync(csv.Line(Read<ReturnSummary>(row)));
            }

            if (page.Rows.Count < CsvBatch)
            {
                break;
            }
        }
    }

    /// <summary>
    /// The seller's list to read: with <c>needsAction=true</c> only the requests whose next actor is the seller (their own
    /// index, so paging and totals stay exact); <c>false</c> or absent, all of them.
    /// </summary>
    private static string SellerIndex(string? needsAction) =>
        string.IsNullOrEmpty(needsAction) ? ReturnIndexes.SellerReturns
        : bool.TryParse(needsAction, out var only) ? (only ? ReturnIndexes.SellerReturnsToAct : ReturnIndexes.SellerReturns)
        : throw DomainException.Invalid("invalid-query", "'needsAction' must be true or false.");

    private static GrainIndexQuery Filter(string indexName, Guid partition, string? status, string? from, string? to)
    {
        ReturnStatus? parsed = null;
        if (!string.IsNullOrEmpty(status))
        {
            parsed = Enum.TryParse<ReturnStatus>(status, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(status, out _)
                ? value
                : throw DomainException.Invalid("invalid-query", $"'status' must be one of: {string.Join(", ", Enum.GetNames<ReturnStatus>())}.");
        }

        var fromAt = Instant("from", from);
        var toAt = Instant("to", to);
        if (fromAt > toAt)
        {
            throw DomainException.Invalid("invalid-query", "'from' must not be later than 'to'.");
        }

        return new GrainIndexQuery(indexName, partition.ToString()) { Tag = parsed?.ToString(), From = fromAt, To = toAt };
    }

    private static DateTimeOffset? Instant(string name, string? value) =>
        string.IsNullOrEmpty(value) ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at
        : throw DomainException.Invalid("invalid-query", $"'{name}' must be an ISO-8601 instant, e.g. 2026-11-01T00:00:00+03:00.");

    private static async Task<ListPage<T>> QueryAsync<T>(
        IGrainIndex index, GrainIndexQuery query, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var number = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        if (number < 1 || number > 100_000 || size is < 1 or > MaxPageSize)
        {
            throw DomainException.Invalid("invalid-query", $"'page' must be at least 1 and 'pageSize' between 1 and {MaxPageSize}.");
        }

        var result = await index.QueryAsync(query with { Skip = (number - 1) * size, Take = size }, cancellationToken);
        return new ListPage<T>([.. result.Rows.Select(Read<T>)], result.Total, number, size);
    }

    private static T Read<T>(GrainIndexRow row) => JsonSerializer.Deserialize<T>(row.DataJson, GrainJson.Options)!;
}
