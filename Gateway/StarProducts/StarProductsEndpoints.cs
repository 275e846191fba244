using Microsoft.Extensions.DependencyInjection;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OzonActors.Gateway.Api;
using OzonActors.Gateway.Auth;
using OzonActors.Gateway.Returns;
using OzonActors.OzonId;
using OzonActors.StarProducts;

namespace OzonActors.Gateway.StarProducts;

/// <summary>The Star Products program: the seller's tab (any employee of the company) and the marketplace's feeds (internal key).</summary>
public static class StarProductsEndpoints
{
    public const int MaxViewsPerRequest = 10_000;

    public sealed record DisconnectBody(string? Reason) : IValidatedRequest
    {
        public void Validate(RequestErrors errors) => errors.Text("reason", Reason, 500);
    }

    public sealed record ProductBody(string? ProductId, Guid? SellerId, bool? Moderated) : IValidatedRequest
    {
        public void Validate(RequestErrors errors)
        {
            ReturnFields.Id(errors, "productId", ProductId);
            errors.Required("sellerId", SellerId);
            errors.Required("moderated", Moderated);
        }
    }

    public sealed record StarOrderLineBody(string? ProductId, decimal? SellerPrice, int? Quantity);

    public sealed record StarOrderBody(string? OrderId, Guid? SellerId, Guid? CustomerId, DateTimeOffset? At, IReadOnlyList<StarOrderLineBody?>? Lines)
        : IValidatedRequest
    {
        public void Validate(RequestErrors errors)
        {
            ReturnFields.Id(errors, "orderId", OrderId);
            errors.Required("sellerId", SellerId);
            errors.Required("customerId", CustomerId);
            errors.Required("at", At);
            if (Lines is not { Count: > 0 and <= OrderBody.MaxLines })
            {
                errors.Add("lines", $"'lines' must hold 1 to {OrderBody.MaxLines} lines.");
                return;
            }

            for (var i = 0; i < Lines.Count; i++)
            {
                var line = Lines[i];
                ReturnFields.Id(errors, $"lines[{i}].productId", line?.ProductId);
                ReturnFields.Money(errors, $"lines[{i}].sellerPrice", line?.SellerPrice, 0.01m, OrderLineBody.MaxPrice);
                if (line?.Quantity is not (>= 1 and <= OrderLineBody.MaxQuantity))
                {
                    errors.Add($"lines[{i}].quantity", $"'lines[{i}].quantity' must be between 1 and {OrderLineBody.MaxQuantity}.");
                }
            }
        }

        public StarOrder ToOrder() => new(OrderId!, SellerId!.Value, CustomerId!.Value, At!.Value.ToUniversalTime(),
            [.. Lines!.Select(l => new StarOrderLine(l!.ProductId!, l.SellerPrice!.Value, l.Quantity!.Value))]);
    }

    /// <summary>One view, or a batch under <c>views</c> (the marketplace's systems send batches; each seller is written once per batch).</summary>
    public sealed record ViewsBody(string? ProductId, Guid? CustomerId, DateTimeOffset? At, IReadOnlyList<ViewBody?>? Views) : IValidatedRequest
    {
        public IReadOnlyList<ViewBody> AllViews() => Views is not null ? [.. Views!] : [new ViewBody(ProductId, CustomerId, At)];

        public void Validate(RequestErrors errors)
        {
            if (Views is not null && (Views.Count is 0 or > MaxViewsPerRequest || ProductId is not null))
            {
                errors.Add("views", $"'views' must hold 1 to {MaxViewsPerRequest} views, without a single view beside it.");
                return;
            }

            var all = Views ?? [new ViewBody(ProductId, CustomerId, At)];
            for (var i = 0; i < all.Count && !errors.Any; i++)
            {
                var prefix = Views is null ? "" : $"views[{i}].";
                ReturnFields.Id(errors, prefix + "productId", all[i]?.ProductId);
                errors.Required(prefix + "customerId", all[i]?.CustomerId);
                errors.Required(prefix + "at", all[i]?.At);
            }
        }
    }

    public sealed record ViewBody(string? ProductId, Guid? CustomerId, DateTimeOffset? At);

    public sealed record ViewsRecorded(int Received, int ProgramViews, int UnknownProducts);

    public sealed record ConnectBody(Guid? SellerId) : IValidatedRequest
    {
        public void Validate(RequestErrors errors) => errors.Required("sellerId", SellerId);
    }

    public static IEndpointRouteBuilder MapStarProductsApi(this IEndpointRouteBuilder app)
    {
        var seller = app.MapGroup("/api/seller/star-products").WithTags("Star Products").RequireAuthorization(Policies.Seller);
        seller.MapGet("/", (ClaimsPrincipal user, IGrainFactory grains) => Program(user, grains).GetAsync()).WithName("GetStarProducts");
        seller.MapPost("/connect", ConnectAsync).WithName("ConnectStarProducts");
        seller.MapPost("/disconnect", DisconnectAsync).Validates<DisconnectBody>().WithName("DisconnectStarProducts");
        seller.MapGet("/history", (ClaimsPrincipal user, IGrainFactory grains) => Program(user, grains).GetHistoryAsync()).WithName("StarProductsHistory");
        seller.MapGet("/analytics", AnalyticsAsync).WithName("StarProductsAnalytics");
        seller.MapGet("/certificates", CertificatesAsync).WithName("StarProductsCertificates");

        var feeds = app.MapGroup("/api/internal").WithTags("Internal").RequireAuthorization(Policies.Internal);
        feeds.MapPost("/products", RecordProductAsync).Validates<ProductBody>().WithMetadata(new IdempotentCommandAttribute()).WithName("RecordProduct");
        feeds.MapPost("/star-products/orders", RecordOrderAsync).Validates<StarOrderBody>().WithMetadata(new IdempotentCommandAttribute()).WithName("RecordStarOrder");
        feeds.MapPost("/star-products/views", RecordViewsAsync).Validates<ViewsBody>().WithName("RecordStarViews");
        feeds.MapPost("/star-products/connect", (ConnectBody body, IGrainFactory grains) =>
            grains.GetGrain<ISellerLoyaltyGrain>(body.SellerId!.Value).ConnectAsync(StarActor.System)).Validates<ConnectBody>().WithName("AutoConnectStarProducts");
        return app;
    }

    private static ISellerLoyaltyGrain Program(ClaimsPrincipal user, IGrainFactory grains) =>
        grains.GetGrain<ISellerLoyaltyGrain>(user.GetCaller().RequireSeller().CompanyId);

    private static async Task<StarActor> EmployeeAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var (_, accountId, role) = user.GetCaller().RequireSeller();
        var account = await grains.GetGrain<ISellerAccountGrain>(accountId).GetAsync();
        return new StarActor(accountId, account.Email, role.ToString());
    }

    private static async Task<Ok<StarProductsStatus>> ConnectAsync(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await Program(user, grains).ConnectAsync(await EmployeeAsync(user, grains)));

    private static async Task<Ok<StarProductsStatus>> DisconnectAsync(DisconnectBody body, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await Program(user, grains).DisconnectAsync(await EmployeeAsync(user, grains), body.Reason!.Trim()));

    private static async Task<Ok<StarAnalytics>> AnalyticsAsync(ClaimsPrincipal user, IGrainFactory grains, int? days) =>
        TypedResults.Ok(await Program(user, grains).GetAnalyticsAsync(days is { } value && StarAnalyticsWindows.IsValid(value)
            ? value
            : throw DomainException.Invalid("invalid-window", "'days' must be 14, 21, 30 or 90.")));

    /// <summary>Every certificate of the last 12 months, or with <c>period=2026-11-1</c> that period's (zero when nothing was ordered).</summary>
    private static async Task<IResult> CertificatesAsync(ClaimsPrincipal user, IGrainFactory grains, string? period)
    {
        var certificates = await Program(user, grains).GetCertificatesAsync();
        if (period is null)
        {
            return TypedResults.Ok(certificates);
        }

        var from = BusinessCalendar.ParsePeriod(period)
            ?? throw DomainException.Invalid("invalid-period", "'period' must look like 2026-11-1 (1st–15th) or 2026-11-2 (16th–end of month).");
        var name = BusinessCalendar.PeriodName(from);
        return TypedResults.Ok(certificates.FirstOrDefault(c => c.Period == name)
            ?? new StarCertificate(name, from, BusinessCalendar.PeriodOf(from).To, 0m, 0m, 0, 0, Issued: false, [], 0m, 0m));
    }

    private static async Task<Accepted> RecordProductAsync(ProductBody body, IGrainFactory grains)
    {
        await grains.GetGrain<IStarProductGrain>(body.ProductId!).SetAsync(body.SellerId!.Value, body.Moderated!.Value);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Accepted<StarOrderRecorded>> RecordOrderAsync(StarOrderBody body, IGrainFactory grains, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    {
        var order = body.ToOrder();
        Instants.EnsureNotFuture(order.At, time, "at");
        return TypedResults.Accepted((string?)null, await grains.GetGrain<ISellerLoyaltyGrain>(order.SellerId).RecordOrderAsync(order));
    }

    /// <summary>Views are grouped by seller (found through each product), so a batch costs one write per seller.</summary>
    private static async Task<Accepted<ViewsRecorded>> RecordViewsAsync(ViewsBody body, IGrainFactory grains, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    {
        var views = body.AllViews();
        foreach (var view in views)
        {
            Instants.EnsureNotFuture(view.At!.Value, time, "at");
        }

        var products = views.Select(v => v.ProductId!).Distinct(StringComparer.Ordinal).ToArray();
        var owners = await Task.WhenAll(products.Select(productId => grains.GetGrain<IStarProductGrain>(productId).GetSellerAsync()));
        var sellers = products.Zip(owners).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);

        var unknown = views.Count(v => sellers[v.ProductId!] is null);
        var calls = views.Where(v => sellers[v.ProductId!] is not null)
            .GroupBy(v => sellers[v.ProductId!]!.Value)
            .Select(group => grains.GetGrain<ISellerLoyaltyGrain>(group.Key).RecordViewsAsync(
                [.. group.Select(v => new StarProductView(v.ProductId!, v.CustomerId!.Value, v.At!.Value.ToUniversalTime()))]));
        var counted = (await Task.WhenAll(calls)).Sum();
        return TypedResults.Accepted((string?)null, new ViewsRecorded(views.Count, counted, unknown));
    }

}
