using MlOpsOrchestrator.Security;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Security;

/// <summary>The rule for where a value taken from <c>${env:…}</c> is replaced in a message, one row per case.</summary>
public sealed class SecretRedactorTests
{
    [TestCase("S3cr3t-Pa55word", "28000: role \"S3cr3t-Pa55word\" does not exist", "28000: role \"(value of ${env:V})\" does not exist", TestName = "Redact_QuotedByTheServer_Replaced")]
    [TestCase("S3cr3t-Pa55word", "auth with S3cr3t-Pa55word failed", "auth with (value of ${env:V}) failed", TestName = "Redact_LongValueAsAWord_Replaced")]
    [TestCase("S3cr3t-Pa55word", "url=pg://u:S3cr3t-Pa55word@host/db", "url=pg://u:(value of ${env:V})@host/db", TestName = "Redact_LongValueInsideAnUrl_Replaced")]
    [TestCase("S3cr3t-Pa55word", "prefixS3cr3t-Pa55wordsuffix", "prefix(value of ${env:V})suffix", TestName = "Redact_LongValueInsideAWord_Replaced")]
    [TestCase("db", "Failed to connect to db:5432", "Failed to connect to (value of ${env:V}):5432", TestName = "Redact_ShortValueAsAToken_Replaced")]
    [TestCase("db", "the database is not reachable", "the database is not reachable", TestName = "Redact_ShortValueInsideAWord_Kept")]
    [TestCase("db", "database \"db\" does not exist", "database \"(value of ${env:V})\" does not exist", TestName = "Redact_ShortValueQuoted_Replaced")]
    [TestCase("x", "column 'x' is missing; x marks the spot", "column '(value of ${env:V})' is missing; x marks the spot", TestName = "Redact_OneCharacter_OnlyQuoted")]
    [TestCase("S3cr3t-Pa55word", "nothing secret here", "nothing secret here", TestName = "Redact_ValueAbsent_MessageUnchanged")]
    public void Redact_Rule(string value, string message, string expected)
    {
        var redactor = new SecretRedactor([new("V", value)]);

        Assert.That(redactor.Redact(message), Is.EqualTo(expected));
    }

    [TestCase("Password", "Hunter2-Pass", "auth: Hunter2-Pass", TestName = "Redact_ConnectionStringPassword_Replaced")]
    [TestCase("Database", "wh_secret_db", "3D000: database \"wh_secret_db\" does not exist", TestName = "Redact_ConnectionStringDatabase_Replaced")]
    [TestCase("Username", "etl_reader", "28000: role \"etl_reader\" does not exist", TestName = "Redact_ConnectionStringUser_Replaced")]
    [TestCase("Host", "db.internal.example", "Failed to connect to db.internal.example:5432", TestName = "Redact_ConnectionStringHost_Replaced")]
    public void Redact_PartOfAConnectionString_Replaced(string key, string part, string message)
    {
        var connection = $"Host=h0st-a;Port=5433;Username=u5er-a;Password=pa55-a;Database=dat4-a;{key}={part}";
        var redactor = new SecretRedactor([new("WAREHOUSE_PG", connection)]);

        var redacted = redactor.Redact(message)!;

        Assert.That(redacted, Does.Not.Contain(part).And.Contain("(value of ${env:WAREHOUSE_PG})"));
    }

    [Test]
    public void Redact_ConnectionStringWithHostList_EachHostReplaced()
    {
        var redactor = new SecretRedactor([new("PG", "Host=primary.db.internal,replica.db.internal:5433;Username=postgres")]);

        var redacted = redactor.Redact("Failed to connect to replica.db.internal:5433 after primary.db.internal")!;

        Assert.That(redacted, Is.EqualTo("Failed to connect to (value of ${env:PG}) after (value of ${env:PG})"));
    }

    [Test]
    public void Redact_ConnectionStringWithPublicDefaults_ProductWordsKept()
    {
        // "postgres" and 127.0.0.1 in a connection string are no secret, and "postgres" is a word of the product's messages.
        var redactor = new SecretRedactor([new("PG", "Host=127.0.0.1;Port=5432;Username=postgres;Database=churn_wh")]);

        var redacted = redactor.Redact("the label column 'churned' is not in the postgres query (database \"churn_wh\" on 127.0.0.1)");

        Assert.That(redacted, Is.EqualTo("the label column 'churned' is not in the postgres query (database \"(value of ${env:PG})\" on 127.0.0.1)"));
    }

    [Test]
    public void Redact_TwoValuesOneInsideTheOther_LongerFirst()
    {
        var redactor = new SecretRedactor([new("SHORT", "secret-db"), new("LONG", "secret-db-password")]);

        Assert.That(redactor.Redact("login secret-db-password on secret-db"), Is.EqualTo("login (value of ${env:LONG}) on (value of ${env:SHORT})"));
    }

    [Test]
    public void Redact_None_ChangesNothing()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SecretRedactor.None.IsEmpty, Is.True);
            Assert.That(SecretRedactor.None.Redact("any text"), Is.EqualTo("any text"));
            Assert.That(SecretRedactor.None.Redact(null), Is.Null);
        });
    }
}
