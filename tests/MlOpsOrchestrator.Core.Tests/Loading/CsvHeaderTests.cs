using System.Text;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

[TestFixture]
public sealed class CsvHeaderTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void TryRead_Utf8Bom_StrippedFromTheFirstName()
    {
        var path = _temp.Combine("bom.csv");
        File.WriteAllText(path, "age,workclass\n39,State-gov\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.That(CsvHeader.TryRead(path, ',', header: true, []), Is.EqualTo(new[] { "age", "workclass" }));
    }

    [Test]
    public void TryRead_QuotedNamesHoldingSeparatorsAndQuotes_KeptWhole()
    {
        var path = _temp.Write("quoted.csv", "\"income, gross\",\"say \"\"hi\"\"\",plain\n1,2,3\n");

        Assert.That(CsvHeader.TryRead(path, ',', header: true, []), Is.EqualTo(new[] { "income, gross", "say \"hi\"", "plain" }));
    }

    [Test]
    public void TryRead_PaddedNames_Trimmed()
    {
        var path = _temp.Write("adult.csv", "age, workclass , fnlwgt\r\n39, State-gov, 77516\r\n");

        Assert.That(CsvHeader.TryRead(path, ',', header: true, []), Is.EqualTo(new[] { "age", "workclass", "fnlwgt" }));
    }

    [Test]
    public void TryRead_NoHeader_NumberedColumns()
    {
        var path = _temp.Write("plain.csv", "5.1,3.5,setosa\n");

        Assert.That(CsvHeader.TryRead(path, ',', header: false, []), Is.EqualTo(new[] { "column_0", "column_1", "column_2" }));
    }

    [Test]
    public void TryRead_NoHeaderAndSchemaNamesEveryColumn_SchemaNames()
    {
        var path = _temp.Write("plain.csv", "5.1,3.5,setosa\n");

        Assert.That(CsvHeader.TryRead(path, ',', header: false, ["sepal_length", "sepal_width", "species"]),
            Is.EqualTo(new[] { "sepal_length", "sepal_width", "species" }));
    }

    [Test]
    public void TryRead_NoHeaderAndSchemaNamesSomeColumns_NumberedColumns()
    {
        var path = _temp.Write("plain.csv", "5.1,3.5,setosa\n");

        Assert.That(CsvHeader.TryRead(path, ',', header: false, ["species"]), Is.EqualTo(new[] { "column_0", "column_1", "column_2" }));
    }

    [TestCase(';', "a;b;\"c;d\"")]
    [TestCase('\t', "a\tb\t\"c\td\"")]
    public void TryRead_OtherSeparator_SplitsOnIt(char separator, string line)
    {
        var path = _temp.Write("sep.csv", line + "\n1;2;3\n");

        Assert.That(CsvHeader.TryRead(path, separator, header: true, []), Is.EqualTo(new[] { "a", "b", separator == ';' ? "c;d" : "c\td" }));
    }

    [Test]
    public void TryRead_SemicolonFileReadWithComma_OneColumn()
    {
        var path = _temp.Write("sep.csv", "a;b;c\n");

        Assert.That(CsvHeader.TryRead(path, ',', header: true, []), Is.EqualTo(new[] { "a;b;c" }));
    }

    [Test]
    public void TryRead_EmptyFile_Null()
    {
        var path = _temp.Write("empty.csv", "");

        Assert.That(CsvHeader.TryRead(path, ',', header: true, []), Is.Null);
    }

    [Test]
    public void TryRead_MissingFile_Null()
    {
        Assert.That(CsvHeader.TryRead(_temp.Combine("missing.csv"), ',', header: true, []), Is.Null);
    }
}
