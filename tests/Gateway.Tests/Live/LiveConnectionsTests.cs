using OzonActors.Gateway.Live;

namespace OzonActors.Gateway.Tests.Live;

/// <summary>The index the dispatcher uses to send an event with several audiences once per connection.</summary>
public sealed class LiveConnectionsTests
{
    [Fact]
    public void A_connection_in_several_of_the_audiences_is_listed_once()
    {
        var connections = new LiveConnections();
        connections.Add("customer", ["customer:x", "manager:x"]);
        connections.Add("moderator", ["customer:y", "manager:y", "moderators"]);
        connections.Add("seller", ["seller:a"]);

        Assert.Equal(["customer", "moderator"], connections.InAny(["customer:x", "manager:x", "moderators"]).Order());
        Assert.Equal(["seller"], connections.InAny(["seller:a", "seller:b"]));
        Assert.Empty(connections.InAny(["seller:b"]));
    }

    [Fact]
    public void A_removed_connection_is_no_longer_listed()
    {
        var connections = new LiveConnections();
        connections.Add("one", ["customer:x", "manager:x"]);
        connections.Add("two", ["customer:x", "manager:x"]);

        connections.Remove("one", ["customer:x", "manager:x"]);

        Assert.Equal(["two"], connections.InAny(["customer:x", "manager:x"]));
        connections.Remove("two", ["customer:x", "manager:x"]);
        Assert.Empty(connections.InAny(["customer:x", "manager:x"]));
    }
}
