namespace OzonActors.Gateway.Live;

/// <summary>
/// Which connections of this process are in which group. SignalR's own groups cannot say it, and an event with
/// several audiences must reach a connection in two of them once, not twice.
/// </summary>
internal sealed class LiveConnections
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<string>> _byGroup = new(StringComparer.Ordinal);

    public void Add(string connectionId, IReadOnlyList<string> groups)
    {
        lock (_lock)
        {
            foreach (var group in groups)
            {
                if (!_byGroup.TryGetValue(group, out var members))
                {
                    _byGroup[group] = members = new HashSet<string>(StringComparer.Ordinal);
                }

                members.Add(connectionId);
            }
        }
    }

    public void Remove(string connectionId, IReadOnlyList<string> groups)
    {
        lock (_lock)
        {
            foreach (var group in groups)
            {
                if (_byGroup.TryGetValue(group, out var members) && members.Remove(connectionId) && members.Count == 0)
                {
                    _byGroup.Remove(group);
                }
            }
        }
    }

    /// <summary>The connections in at least one of <paramref name="groups"/>, each once.</summary>
    public List<string> InAny(IReadOnlyList<string> groups)
    {
        var connections = new HashSet<string>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var group in groups)
            {
                if (_byGroup.TryGetValue(group, out var members))
                {
                    connections.UnionWith(members);
                }
            }
        }

        return [.. connections];
    }
}
