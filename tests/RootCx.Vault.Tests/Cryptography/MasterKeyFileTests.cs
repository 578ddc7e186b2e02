using RootCx.Vault.Cryptography;

namespace RootCx.Vault.Tests.Cryptography;

public class MasterKeyFileTests
{
    private string _directory = null!;

    private string KeyPath => Path.Combine(_directory, "config", "master.key");

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("rootcx-keyfile-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Creates_a_key_file_of_64_hex_characters_and_a_line_feed()
    {
        using MasterKey key = MasterKeyFile.CreateOrRead(KeyPath, out bool created);

        string content = File.ReadAllText(KeyPath);
        Assert.Multiple(() =>
        {
            Assert.That(created, Is.True);
            Assert.That(content, Does.Match("^[0-9a-f]{64}\n$"));
            Assert.That(MasterKeyId.Derive(Convert.FromHexString(content.Trim())), Is.EqualTo(key.Id));
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(KeyPath)!), Has.Length.EqualTo(1), "no temporary file is left");
        });
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_key_file_and_its_folder_are_owner_only()
    {
        using MasterKey key = MasterKeyFile.CreateOrRead(KeyPath, out _);

        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(KeyPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(KeyPath)!), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            Assert.That(MasterKeyFile.IsReadableByOthers(KeyPath), Is.False);
        });
    }

    [Test]
    public void Parallel_creators_all_end_up_with_the_same_key()
    {
        const int Creators = 24;
        using var start = new Barrier(Creators);
        var results = new (MasterKeyId Id, bool Created)[Creators];

        // Dedicated threads: the thread pool of a 2-core machine would start them one by one.
        Thread[] creators = [.. Enumerable.Range(0, Creators).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            using MasterKey key = MasterKeyFile.CreateOrRead(KeyPath, out bool created);
            results[i] = (key.Id, created);
        }))];
        Array.ForEach(creators, t => t.Start());
        Array.ForEach(creators, t => t.Join());

        using MasterKey onDisk = MasterKeyFile.Read(KeyPath);
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Id).Distinct(), Is.EqualTo(new[] { onDisk.Id }));
            Assert.That(results.Count(r => r.Created), Is.EqualTo(1));
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(KeyPath)!), Has.Length.EqualTo(1), "no temporary file is left");
        });
    }

    [Test]
    public void A_damaged_key_file_is_refused_naming_the_path_not_the_content()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        File.WriteAllText(KeyPath, "not-a-key-but-something-private");

        var error = Assert.Throws<MasterKeyException>(() => MasterKeyFile.Read(KeyPath));
        Assert.That(error!.Message, Does.Contain(KeyPath).And.Not.Contain("something-private"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Temporary_key_files_a_crashed_creator_left_are_deleted_but_not_one_being_written(bool keyFileExists)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        if (keyFileExists)
        {
            MasterKeyFile.CreateOrRead(KeyPath, out _).Dispose();
        }

        string abandoned = $"{KeyPath}.{Guid.NewGuid():N}.tmp";
        string inFlight = $"{KeyPath}.{Guid.NewGuid():N}.tmp";
        string unrelated = Path.Combine(Path.GetDirectoryName(KeyPath)!, "other.key.1.tmp");
        foreach (string file in new[] { abandoned, inFlight, unrelated })
        {
            File.WriteAllText(file, new string('a', 64) + "\n");
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(file == inFlight ? 0 : -2));
        }

        using MasterKey key = MasterKeyFile.Load(KeyPath, out bool created);
        Assert.That(File.Exists(abandoned), Is.True, "loading alone deletes nothing: the key has not passed the store's check yet");
        MasterKeyFile.DeleteAbandonedTemporaryFiles(KeyPath);

        Assert.Multiple(() =>
        {
            Assert.That(created, Is.Not.EqualTo(keyFileExists));
            Assert.That(File.Exists(abandoned), Is.False, "abandoned by a crashed creator");
            Assert.That(File.Exists(inFlight), Is.True, "another creator may be about to publish it");
            Assert.That(File.Exists(unrelated), Is.True, "not a temporary file of this key");
        });
    }
}
