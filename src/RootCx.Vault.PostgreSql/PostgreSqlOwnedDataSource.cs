using System.Data.Common;
using Npgsql;

namespace RootCx.Vault.PostgreSql;

/// <summary>The data source a store makes from a connection string, and owns.</summary>
internal static class PostgreSqlOwnedDataSource
{
    /// <summary>How many statements each connection keeps prepared: the store's frequent ones, with the audit log's.</summary>
    public const int MaxAutoPrepare = 20;

    /// <summary>
    /// Creates the data source. Npgsql sends a statement unprepared unless told otherwise, so the server parses and
    /// plans it on every call, which for a set and its history CTEs costs more than the write; the store's few
    /// statements repeat, so it lets Npgsql prepare the frequent ones on each connection. A connection string that
    /// sets Max Auto Prepare itself is followed: 0 for PgBouncer in transaction mode before 1.21, which cannot keep
    /// prepared statements.
    /// </summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    public static NpgsqlDataSource Create(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!SetsMaxAutoPrepare(connectionString))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = MaxAutoPrepare;
        }

        return builder.Build();
    }

    // Npgsql's builder reports every keyword as present; the plain builder holds only those the string gives, in any
    // case and spacing Npgsql accepts ("Max Auto Prepare", "MaxAutoPrepare").
    private static bool SetsMaxAutoPrepare(string connectionString) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>()
            .Any(keyword => string.Equals(keyword.Replace(" ", "", StringComparison.Ordinal), "MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
}
