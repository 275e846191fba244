using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Gateway.Tests.Support;

namespace OzonActors.Gateway.Tests.OzonId;

public sealed class CodeDeliveryTests
{
    [Fact]
    public async Task The_Http_provider_posts_the_code_to_the_configured_gateway_and_dev_sms_is_off()
    {
        var received = Channel.CreateUnbounded<JsonObject>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/send", async (HttpRequest request) =>
        {
            await received.Writer.WriteAsync((await request.ReadFromJsonAsync<JsonObject>())!);
            return Results.Ok();
        });
        await receiver.StartAsync();
        var url = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        using var factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["OzonId:Sms:Provider"] = "Http",
            ["OzonId:Sms:Url"] = $"{url}/send",
        });
        var api = factory.CreateApi();
        var phone = ApiClient.NewPhone();

        var challenge = await api.RequestCodeAsync(phone, "Call");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var message = await received.Reader.ReadAsync(timeout.Token);
        Assert.Equal(phone, message["phone"]!.GetValue<string>());
        Assert.Equal("Call", message["channel"]!.GetValue<string>());
        var code = System.Text.RegularExpressions.Regex.Match(message["text"]!.GetValue<string>(), @"\b\d{6}\b").Value;
        using var login = await api.PostLoginAsync(challenge["challengeId"]!.GetValue<Guid>(), code, null);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Http.GetAsync(new Uri($"/api/dev/sms?phone={phone}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_client_address_quota_stops_the_eleventh_send_from_one_address()
    {
        using var factory = new GatewayFactory(new Dictionary<string, string?> { ["OzonId:MaxSendsPerAddressPerHour"] = "10" });
        var api = factory.CreateApi();
        for (var i = 0; i < 10; i++)
        {
            await api.RequestCodeAsync(ApiClient.NewPhone());
        }

        using var eleventh = await api.SendRawAsync(HttpMethod.Post, "/api/auth/code", null, new { phone = ApiClient.NewPhone(), channel = "Sms" });

        Assert.Equal(HttpStatusCode.TooManyRequests, eleventh.StatusCode);
        Assert.Contains("too-many-codes", await eleventh.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_phone_change_is_confirmed_on_both_phones_and_the_old_one_is_told()
    {
        using var factory = new GatewayFactory();
        var api = factory.CreateApi();
        var oldPhone = ApiClient.NewPhone();
        var newPhone = ApiClient.NewPhone();
        var tokens = await api.LoginAsync(oldPhone);

        await api.SendAsync(HttpMethod.Post, "/api/me/phone/change/new", tokens.AccessToken, new { phone = newPhone }, HttpStatusCode.Conflict);
        await api.SendAsync(HttpMethod.Post, "/api/me/phone/change", tokens.AccessToken, null, HttpStatusCode.Accepted);
        await api.SendAsync(HttpMethod.Post, "/api/me/phone/change/confirm-current", tokens.AccessToken,
            new { code = await api.ReadCodeAsync(oldPhone) }, HttpStatusCode.NoContent);
        await api.SendAsync(HttpMethod.Post, "/api/me/phone/change/new", tokens.AccessToken, new { phone = newPhone }, HttpStatusCode.Accepted);
        var changed = await api.SendAsync(HttpMethod.Post, "/api/me/phone/change/confirm-new", tokens.AccessToken,
            new { code = await api.ReadCodeAsync(newPhone) }, HttpStatusCode.OK);

        Assert.EndsWith(newPhone[^2..], changed["maskedPhone"]!.GetValue<string>());
        var toOld = await api.Http.GetFromJsonAsync<JsonArray>($"/api/dev/sms?phone={oldPhone}");
        Assert.Contains("was changed", toOld![0]!["text"]!.GetValue<string>());
        factory.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(tokens.OzonId, (await api.LoginAsync(newPhone)).OzonId);
        Assert.NotEqual(tokens.OzonId, (await api.LoginAsync(oldPhone)).OzonId);
    }

    [Fact]
    public async Task A_new_phone_that_belongs_to_another_Ozon_ID_is_refused()
    {
        using var factory = new GatewayFactory();
        var api = factory.CreateApi();
        var mine = ApiClient.NewPhone();
        var theirs = ApiClient.NewPhone();
        var tokens = await api.LoginAsync(mine);
        var other = await api.LoginAsync(theirs);
        factory.Time.Advance(TimeSpan.FromMinutes(2));

        await api.SendAsync(HttpMethod.Post, "/api/me/phone/change", tokens.AccessToken, new { channel = "Call" }, HttpStatusCode.Accepted);
        await api.SendAsync(HttpMethod.Post, "/api/me/phone/change/confirm-current", tokens.AccessToken,
            new { code = await api.ReadCodeAsync(mine) }, HttpStatusCode.NoContent);
        await api.SendAsync(HttpMethod.Post, "/api/me/phone/change/new", tokens.AccessToken, new { phone = theirs }, HttpStatusCode.Accepted);
        await api.SendAsync(HttpMethod.Post, "/api/me/phone/change/confirm-new", tokens.AccessToken,
            new { code = await api.ReadCodeAsync(theirs) }, HttpStatusCode.Conflict);

        factory.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(other.OzonId, (await api.LoginAsync(theirs)).OzonId);
        Assert.Equal(tokens.OzonId, (await api.LoginAsync(mine)).OzonId);
    }
}
