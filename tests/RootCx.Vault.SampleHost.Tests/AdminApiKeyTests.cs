using RootCx.Vault.SampleHost.Security;

namespace RootCx.Vault.SampleHost.Tests;

/// <summary>The generated admin key file when two instances start on one data folder at once.</summary>
public class AdminApiKeyTests
{
    private string _dataPath = null!;

    private string KeyPath => Path.Combine(_dataPath, "admin.key");

    [SetUp]
    public void CreateDataFolder() => _dataPath = Directory.CreateTempSubdirectory("rootcx-adminkey-").FullName;

    [TearDown]
    public void DeleteDataFolder() => Directory.Delete(_dataPath, recursive: true);

    [Test]
    public async Task A_key_file_another_instance_has_created_but_not_yet_written_is_read_once_written()
    {
        File.WriteAllText(KeyPath, string.Empty);
        Task writer = Task.Run(async () =>
        {
            await Task.Delay(200);
            await File.WriteAllTextAsync(KeyPath, "written-by-the-other-instance");
        });

        AdminApiKey key = AdminApiKey.Load(configured: null, _dataPath);
        await writer;

        Assert.That(key.Matches("written-by-the-other-instance"), Is.True);
    }

    [Test]
    public void A_key_file_that_stays_empty_is_refused_with_what_to_do()
    {
        File.WriteAllText(KeyPath, "  \n");

        var error = Assert.Throws<InvalidOperationException>(() => AdminApiKey.Load(configured: null, _dataPath));
        Assert.That(error!.Message, Does.Contain(KeyPath).And.Contain("Admin:ApiKey"));
    }
}
