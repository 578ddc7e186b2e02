namespace RootCx.Vault.FileSystem.Tests;

/// <summary>The stores earlier builds wrote, under <c>Golden/</c>, copied into a test's folder before it opens them.</summary>
internal static class GoldenStoreFolder
{
    public static void CopyTo(string golden, string folder)
    {
        string source = Path.Combine(TestContext.CurrentContext.TestDirectory, "Golden", golden);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string copy = Path.Combine(folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }
}
