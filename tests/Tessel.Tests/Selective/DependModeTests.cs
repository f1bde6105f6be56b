using Tessel.Selective;

namespace Tessel.Tests.Selective;

public class DependModeTests
{
    [Theory]
    [InlineData("top10", 100, 10)]
    [InlineData("top10", 4, 4)]
    [InlineData("5%", 100, 5)]
    [InlineData("5%", 30, 2)]
    [InlineData("5%", 10, 1)]
    [InlineData("100%", 37, 37)]
    [InlineData("top3", 0, 0)]
    public void Counts_round_up_and_never_exceed_the_valid_trials(string text, int valid, int expected) =>
        Assert.Equal(expected, DependMode.Parse(text).Count(valid));

    [Theory]
    [InlineData("top0")]
    [InlineData("top-3")]
    [InlineData("0%")]
    [InlineData("150%")]
    [InlineData("abc")]
    [InlineData("")]
    public void Bad_modes_are_errors_naming_the_value(string text)
    {
        var e = Assert.Throws<FormatException>(() => DependMode.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
    }
}
