using System.CommandLine;
using System.Text.Json;

namespace RootCx.Vault.Cli.Console;

/// <summary>The <c>--json</c> choice every listing command offers: a table for people, or a JSON array of objects for scripts.</summary>
internal sealed class ListingOutput
{
    private readonly Option<bool> _json = new("--json") { Description = "Writes a JSON array for scripts instead of a table." };

    public ListingOutput(Command command) => command.Options.Add(_json);

    public void Write<T>(ParseResult parse, IReadOnlyList<T> items, string[] header, Func<T, string[]> row, Action<Utf8JsonWriter, T> writeJson)
    {
        if (parse.GetValue(_json))
        {
            JsonLines.WriteArray(items, writeJson);
        }
        else
        {
            TextTable.Write([header, .. items.Select(row)]);
        }
    }
}
