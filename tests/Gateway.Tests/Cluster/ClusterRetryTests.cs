using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using OzonActors.Gateway.Api;
using OzonActors.Gateway.Auth;

namespace OzonActors.Gateway.Tests.Cluster;

/// <summary>
/// While a killed silo is not yet declared dead, calls to its grains fail fast. The gateway sends reads and keyed commands
/// again within its budget, and answers anything else 503 with Retry-After at once: never a 500, never a command twice.
/// </summary>
public sealed class ClusterRetryTests
{
    [Fact]
    public async Task A_read_that_meets_a_dead_silo_is_retried_until_the_cluster_answers()
    {
        var failures = 2;
        var calls = 0;
        await using var app = await StartAsync(TimeSpan.FromSeconds(10), a => a.MapGet("/read", () =>
        {
            calls++;
            return calls <= failures ? throw new SiloUnavailableException("the target silo is gone") : Results.Ok("fresh");
        }));

        using var response = await app.GetTestClient().GetAsync(new Uri("/read", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_command_without_a_key_that_was_not_delivered_is_sent_once_and_answered_503_try_again()
    {
        var calls = 0;
        await using var app = await StartAsync(TimeSpan.FromSeconds(10), a => a.MapPost("/approve", () =>
        {
            calls++;
            throw new Orleans.Runtime.Messaging.ConnectionFailedException("the target silo is gone");
        }));

        using var response = await app.GetTestClient().PostAsJsonAsync("/approve", new { });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("errors/cluster-unavailable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, calls);
    }

    /// <summary>A frozen silo applies, when it wakes, what it had queued: a command without a key is not "try again".</summary>
    [Theory]
    [InlineData("timeout")]
    [InlineData("silo-unavailable")]
    public async Task A_command_without_a_key_that_got_no_answer_is_sent_once_and_answered_outcome_unknown(string failure)
    {
        var calls = 0;
        await using var app = await StartAsync(TimeSpan.FromSeconds(10), a => a.MapPost("/approve", () =>
        {
            calls++;
            throw failure == "timeout" ? new TimeoutException("no answer") : new SiloUnavailableException("declared dead while waiting");
        }));

        using var response = await app.GetTestClient().PostAsJsonAsync("/approve", new { });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("errors/outcome-unknown", text, StringComparison.Ordinal);
        Assert.Contains("may still be applied", text, StringComparison.Ordinal);
        Assert.Equal(1, calls);
    }

    [Theory]
    [InlineData("{\"requestId\":\"r-1\",\"points\":5}", HttpStatusCode.OK, 2)]
    [InlineData("{\"points\":5}", HttpStatusCode.ServiceUnavailable, 1)]
    [InlineData("{\"requestId\":\"\",\"points\":5}", HttpStatusCode.ServiceUnavailable, 1)]
    [InlineData("{\"requestId\":\"r-1\",\"requestId\":null,\"points\":5}", HttpStatusCode.ServiceUnavailable, 1)]
    public async Task A_keyed_command_is_retried_with_its_body_only_when_the_body_it_bound_carries_its_key(
        string body, HttpStatusCode expected, int expectedCalls)
    {
        var calls = 0;
        var bodies = new List<KeyedBody>();
        await using var app = await StartAsync(TimeSpan.FromSeconds(10), a => a.MapPost("/withdraw", (KeyedBody request) =>
        {
            calls++;
            bodies.Add(request);
            return calls == 1 ? throw new TimeoutException("no answer from a silo that died") : Results.Ok();
        }).IdempotentWhen<KeyedBody>(b => !string.IsNullOrEmpty(b.RequestId)));

        using var response = await app.GetTestClient().PostAsync(new Uri("/withdraw", UriKind.Relative),
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expectedCalls, calls);
        Assert.All(bodies, b => Assert.Equal(bodies[0], b));
    }

    public sealed record KeyedBody(string? RequestId, int Points);

    [Fact]
    public async Task A_read_that_keeps_failing_is_answered_503_with_Retry_After_once_the_budget_is_spent()
    {
        var calls = 0;
        await using var app = await StartAsync(TimeSpan.FromMilliseconds(700), a => a.MapGet("/read", () =>
        {
            calls++;
            throw new TimeoutException("no answer from a silo that died");
        }));

        using var response = await app.GetTestClient().GetAsync(new Uri("/read", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.InRange(calls, 2, 10);
    }

    private static async Task<WebApplication> StartAsync(TimeSpan budget, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.AddGatewayApi();
        builder.Services.Configure<GatewayOptions>(o => o.ClusterRetryBudget = budget);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseRouting();
        app.UseMiddleware<ClusterRetryMiddleware>();
        map(app);
        await app.StartAsync();
        return app;
    }
}
