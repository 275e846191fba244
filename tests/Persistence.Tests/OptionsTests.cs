using Microsoft.Extensions.Options;

namespace OzonActors.Persistence.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("Runtime:CallTimeout", "00:00:00", "Runtime:CallTimeout must be a positive duration (was '00:00:00')")]
    [InlineData("Reminders:BatchSize", "0", "Reminders:BatchSize must be a positive number (was '0')")]
    [InlineData("Storage:Schema", "Robert'); DROP TABLE", "Storage:Schema must be a lower-case SQL identifier")]
    public async Task A_bad_setting_stops_the_start_with_a_message_naming_key_and_value(string key, string value, string message)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            Clusters.StartAsync(configure: o => o.Configuration[key] = value));

        Assert.Contains(message, exception.Message);
    }
}
