namespace OzonActors.StarProducts;

/// <summary>The analytics windows a seller may ask for (RULES §2), in days.</summary>
public static class StarAnalyticsWindows
{
    /// <summary>14, 21, 30 and 90 days.</summary>
    public static IReadOnlyList<int> Days { get; } = [14, 21, 30, 90];

    /// <summary>True when <paramref name="days"/> is one of <see cref="Days"/>.</summary>
    public static bool IsValid(int days) => Days.Contains(days);
}
