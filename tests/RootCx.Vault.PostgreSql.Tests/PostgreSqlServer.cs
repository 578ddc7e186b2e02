using Dapper;
using Npgsql;

namespace RootCx.Vault.PostgreSql.Tests;

/// <summary>
/// The server under test: ROOTCX_VAULT_POSTGRESQL (.ci/run starts a throwaway cluster and sets it). Tests make their
/// own schemas and databases and drop them afterwards.
/// </summary>
internal static class PostgreSqlServer
{
    public static string ConnectionString
    {
        get
        {
            string? connectionString = Environment.GetEnvironmentVariable("ROOTCX_VAULT_POSTGRESQL");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                Assert.Ignore("ROOTCX_VAULT_POSTGRESQL is not set: no PostgreSQL server to run against (.ci/run starts one).");
            }

            return connectionString!;
        }
    }

    public static string NewSchemaName() => $"rcx_{Guid.NewGuid():N}";

    public static async Task DropSchemaAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;");
    }

    /// <summary>Creates a database whose default collation is the ICU locale given; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string icuLocale)
    {
        string database = $"rcx_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            if (!await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collprovider = 'i');"))
            {
                Assert.Ignore("This PostgreSQL server was built without ICU.");
            }

            await connection.ExecuteAsync(
                $"CREATE DATABASE \"{database}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' LOCALE_PROVIDER icu ICU_LOCALE '{icuLocale}';");
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        string database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE);");
    }
}
