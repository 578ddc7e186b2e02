using Npgsql;

namespace RootCx.Vault.Cli.Tests;

/// <summary>
/// A fresh store for one test, as the tool's <c>--store</c> text: a new folder, or a new database on the server in
/// ROOTCX_VAULT_POSTGRESQL (the test is ignored when it is unset; .ci/run starts a throwaway cluster).
/// </summary>
internal sealed class StoreUnderTest : IAsyncDisposable
{
    public const string File = "file";
    public const string PostgreSql = "postgresql";

    private readonly string? _database;

    private StoreUnderTest(string location, string? database)
    {
        Location = location;
        _database = database;
    }

    /// <summary>Gets the store as <c>--store</c> takes it.</summary>
    public string Location { get; }

    /// <summary>A store named <paramref name="name"/> in <paramref name="folder"/>, or a new database.</summary>
    public static async Task<StoreUnderTest> CreateAsync(string kind, string folder, string name = "store")
    {
        if (kind == File)
        {
            return new StoreUnderTest($"file:{Path.Combine(folder, name)}", null);
        }

        string? server = Environment.GetEnvironmentVariable("ROOTCX_VAULT_POSTGRESQL");
        if (string.IsNullOrWhiteSpace(server))
        {
            Assert.Ignore("ROOTCX_VAULT_POSTGRESQL is not set: no PostgreSQL server to run against (.ci/run starts one).");
        }

        string database = $"rcx_cli_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\";", connection);
            await create.ExecuteNonQueryAsync();
        }

        string connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
        return new StoreUnderTest($"postgresql:{connectionString}", database);
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is null)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("ROOTCX_VAULT_POSTGRESQL"));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE);", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
