using System.Text.Json;

namespace RootCx.Vault.Cli.Console;

/// <summary>Writes a JSON array of objects to standard output, one object per item, for scripts.</summary>
internal static class JsonLines
{
    public static void WriteArray<T>(IEnumerable<T> items, Action<Utf8JsonWriter, T> writeProperties)
    {
        using Stream output = System.Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (T item in items)
            {
                writer.WriteStartObject();
                writeProperties(writer, item);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        output.Write("\n"u8);
    }
}
