using System.Net;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;
using static OzonActors.Gateway.Tests.Support.StarProductsWorld;

namespace OzonActors.Gateway.Tests.StarProducts;

/// <summary>Fees after the trial (1.5 % per unit, half up), summed per Moscow reporting period into certificates.</summary>
public sealed class StarProductsFeesTests
{
    private static readonly Guid Customer = Guid.Parse("0c000000-0000-0000-0000-000000000001");

    [Fact]
    public async Task Fees_after_the_trial_are_summed_per_Moscow_reporting_period_and_each_certificate_is_issued_when_its_period_ends()
    {
        await using var world = Start(Msk(2026, 10, 1, 9, 0));
        var seller = await world.NewSellerAsync();
        Assert.Equal((29, "2026-10-30"), (await seller.ConnectAsync()).Trial());

        // Trial orders cost nothing, the last free day included.
        await world.MoveToAsync(Msk(2026, 10, 20, 12, 0));
        Assert.Equal(0m, (await world.OrderAsync(seller, Customer, Msk(2026, 10, 20, 12, 0), "T1", new StarLine("P1", 1000m, 2))).Fee());
        await world.MoveToAsync(Msk(2026, 10, 30, 23, 50));
        Assert.Equal(0m, (await world.OrderAsync(seller, Customer, Msk(2026, 10, 30, 23, 45), "T2", new StarLine("P1", 33.00m))).Fee());

        // 00:10 on 1 November in Moscow is 31 October in UTC: a paid order of November's first period.
        await world.MoveToAsync(Msk(2026, 11, 1, 0, 20));
        Assert.Equal(1.50m, (await world.OrderAsync(seller, Customer, Msk(2026, 11, 1, 0, 10), "O0", new StarLine("P1", 100m))).Fee());
        AssertCertificate(await seller.CertificateAsync("2026-10-2"), "2026-10-2", "2026-10-16", "2026-10-31", 0m, 2033.00m, 2, 3, issued: true);

        // 1.5 % of 10.30 is 0.1545 → 0.15, of 10.70 is 0.1605 → 0.16 a unit.
        await world.MoveToAsync(Msk(2026, 11, 15, 23, 40));
        var o1 = await world.OrderAsync(seller, Customer, Msk(2026, 11, 15, 23, 30), "O1", new StarLine("P1", 10.30m), new StarLine("P2", 10.70m, 2));
        Assert.Equal((0.47m, 31.70m), (o1.Fee(), o1.Decimal("compensation")));
        AssertCertificate(await seller.CertificateAsync("2026-11-1"), "2026-11-1", "2026-11-01", "2026-11-15", 1.97m, 131.70m, 2, 4, issued: false);

        // The period ends at midnight in Moscow, 21:00 UTC on the 15th; its certificate is issued then.
        await world.MoveToAsync(Msk(2026, 11, 16, 0, 40));
        AssertCertificate(await seller.CertificateAsync("2026-11-1"), "2026-11-1", "2026-11-01", "2026-11-15", 1.97m, 131.70m, 2, 4, issued: true);

        // 21:30 UTC on the 15th is the 16th in Moscow. 0.495 → 0.50 a unit (1.485 for the line would be 1.49); 0.105 → 0.11.
        var o2 = await world.OrderAsync(seller, Customer, new DateTimeOffset(2026, 11, 15, 21, 30, 0, TimeSpan.Zero), "O2", new StarLine("P1", 33.00m, 3));
        Assert.Equal((1.50m, 99.00m), (o2.Fee(), o2.Decimal("compensation")));
        Assert.Equal(0.11m, (await world.OrderAsync(seller, Customer, Msk(2026, 11, 16, 0, 35), "O3", new StarLine("P2", 7.00m))).Fee());
        AssertCertificate(await seller.CertificateAsync("2026-11-2"), "2026-11-2", "2026-11-16", "2026-11-30", 1.61m, 106.00m, 2, 4, issued: false);

        // A replayed order changes nothing and answers what was recorded.
        var replay = await world.OrderAsync(seller, Customer, new DateTimeOffset(2026, 11, 15, 21, 30, 0, TimeSpan.Zero), "O2", new StarLine("P1", 33.00m, 3));
        Assert.False(replay["recorded"]!.GetValue<bool>());
        Assert.Equal(1.50m, replay.Fee());
        AssertCertificate(await seller.CertificateAsync("2026-11-2"), "2026-11-2", "2026-11-16", "2026-11-30", 1.61m, 106.00m, 2, 4, issued: false);

        // An order while disconnected costs nothing and is on no certificate.
        await world.MoveToAsync(Msk(2026, 11, 20, 10, 0));
        await seller.DisconnectAsync("Margins are too thin");
        await world.MoveToAsync(Msk(2026, 11, 21, 10, 0));
        var away = await world.OrderAsync(seller, Customer, Msk(2026, 11, 21, 10, 0), "O4", new StarLine("P1", 1000m));
        Assert.Equal((true, false, 0m), (away["recorded"]!.GetValue<bool>(), away["inProgram"]!.GetValue<bool>(), away.Fee()));

        // The second period's certificate is issued when it ends, though the seller left during it.
        await world.MoveToAsync(Msk(2026, 11, 30, 23, 59));
        Assert.False((await seller.CertificateAsync("2026-11-2"))["issued"]!.GetValue<bool>());
        await world.MoveToAsync(Msk(2026, 12, 1, 0, 30));
        AssertCertificate(await seller.CertificateAsync("2026-11-2"), "2026-11-2", "2026-11-16", "2026-11-30", 1.61m, 106.00m, 2, 4, issued: true);

        var all = await seller.CertificatesAsync();
        Assert.Equal(["2026-11-2", "2026-11-1", "2026-10-2"], all.Select(c => c!["period"]!.GetValue<string>()));
        AssertCertificate(await seller.CertificateAsync("2026-12-1"), "2026-12-1", "2026-12-01", "2026-12-15", 0m, 0m, 0, 0, issued: false);
        await seller.GetAsync("/certificates?period=2026-11-3", HttpStatusCode.BadRequest);
        await seller.GetAsync("/certificates?period=November", HttpStatusCode.BadRequest);

        // Each certificate was announced once, to the seller only, in period order.
        var issued = (await world.EventsOfAsync(seller.Id)).Where(e => e.Type == "StarProductsCertificateIssued").ToList();
        Assert.Equal(["2026-10-2", "2026-11-1", "2026-11-2"], issued.Select(e => JsonNode.Parse(e.DataJson)!["period"]!.GetValue<string>()));
        Assert.All(issued, e => Assert.Equal([$"seller:{seller.Id}"], e.Audiences));
        Assert.Equal(1.61m, JsonNode.Parse(issued[2].DataJson)!.Decimal("fees"));
    }

    private static void AssertCertificate(
        JsonNode certificate, string period, string from, string to, decimal fees, decimal compensation, int orders, int units, bool issued)
    {
        Assert.Equal(period, certificate["period"]!.GetValue<string>());
        Assert.Equal((from, to), (certificate["from"]!.GetValue<string>(), certificate["to"]!.GetValue<string>()));
        Assert.Equal((fees, compensation), (certificate.Decimal("fees"), certificate.Decimal("compensation")));
        Assert.Equal((orders, units, issued),
            (certificate["orders"]!.GetValue<int>(), certificate["units"]!.GetValue<int>(), certificate["issued"]!.GetValue<bool>()));
    }
}
