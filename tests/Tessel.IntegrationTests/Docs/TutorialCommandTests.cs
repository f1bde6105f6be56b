using System.Text.RegularExpressions;
using Tessel.Cli;

namespace Tessel.IntegrationTests.Docs;

/// <summary>docs/TUTORIAL.md read without running anything: its blocks are where the walk's test expects them, and every
/// <c>./tessel</c> command names a command that exists and parses (a typo in a command or option fails here in a
/// second, not minutes into <see cref="TutorialTests"/>).</summary>
public sealed class TutorialCommandTests
{
    /// <summary>The shell blocks the tutorial has: a block added or lost changes this on purpose.</summary>
    private const int ShellBlocks = 15;

    private static readonly string Markdown = File.ReadAllText(Tutorial.Path(Tutorial.RepositoryRoot()));

    [Fact]
    public void The_tutorial_has_its_shell_blocks_and_no_block_of_another_language_that_could_hide_a_command()
    {
        var blocks = Tutorial.Blocks(Markdown);
        Assert.Equal(ShellBlocks, blocks.Count(b => b.IsShell));
        // A block without a language (or a `console` one) would not be run: every block is run, C# or printed output.
        Assert.All(blocks, b => Assert.True(b.IsShell || b.Language is "csharp" or "text", $"{b}: language '{b.Language}' is neither sh, bash, csharp nor text"));
        Assert.Equal("mkdir -p walk", blocks.First(b => b.IsShell).FirstLine);
        Assert.Equal("rm -rf walk", blocks.Last(b => b.IsShell).FirstLine);
    }

    [Fact]
    public void Every_tessel_command_of_the_tutorial_names_a_command_that_exists_and_parses()
    {
        var root = TesselApp.Root();
        var names = root.Subcommands.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var commands = Tutorial.Blocks(Markdown).Where(b => b.IsShell).SelectMany(b => Tutorial.TesselCommands(b.Text).Select(c => (Block: b, Command: c))).ToList();
        Assert.True(commands.Count >= 15, $"only {commands.Count} ./tessel commands found in the tutorial's shell blocks");

        var wrong = new List<string>();
        foreach (var (block, command) in commands)
        {
            if (command.Args is not [var name, ..] || !names.Contains(name))
                wrong.Add($"block {block.Number} (line {block.Line}): `{command.Source}` names no tessel command (there are: {string.Join(", ", names.Order(StringComparer.Ordinal))})");
            else if (root.Parse(command.Args).Errors is { Count: > 0 } errors)
                wrong.Add($"block {block.Number} (line {block.Line}): `{command.Source}`: {string.Join("; ", errors.Select(e => e.Message))}");
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void Every_budget_goes_through_the_one_variable_with_one_default()
    {
        // The walk's test makes the budget small through the variable: a --trials or --skip-tuned without it would tune
        // at full budget there.
        var budgets = Tutorial.Blocks(Markdown).Where(b => b.IsShell).SelectMany(b => Tutorial.TesselCommands(b.Text))
            .SelectMany(c => Regex.Matches(c.Source, @"--(trials|skip-tuned)\s+(\S+)").Select(m => (c.Source, Value: m.Groups[2].Value))).ToList();
        Assert.NotEmpty(budgets);
        Assert.All(budgets, b => Assert.True(b.Value.StartsWith($"${{{Tutorial.TrialsVariable}:-", StringComparison.Ordinal), $"`{b.Source}`: a budget not taken from {Tutorial.TrialsVariable}"));
        Assert.Single(budgets.Select(b => b.Value).Distinct());
    }
}
