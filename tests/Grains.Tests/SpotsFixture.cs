using OzonActors.Returns;

namespace OzonActors.Grains.Tests;

/// <summary>
/// One request in each spot, each on its own cluster and clock, made on first use and shared by the tests of a class
/// that only try actions which must fail (a failed action changes nothing).
/// </summary>
public sealed class SpotsFixture : IAsyncLifetime
{
    private readonly Dictionary<Spot, Task<(ReturnsHarness, ReturnRequestView)>> _spots = [];
    private readonly Lock _lock = new();

    public Task<(ReturnsHarness Returns, ReturnRequestView Request)> GetAsync(Spot spot)
    {
        lock (_lock)
        {
            if (!_spots.TryGetValue(spot, out var made))
            {
                _spots[spot] = made = MakeAsync(spot);
            }

            return made;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var made in _spots.Values)
        {
            var (returns, _) = await made;
            await returns.DisposeAsync();
        }
    }

    private static async Task<(ReturnsHarness, ReturnRequestView)> MakeAsync(Spot spot)
    {
        var returns = await ReturnsHarness.StartAsync();
        return (returns, await returns.IntoAsync(spot));
    }
}
