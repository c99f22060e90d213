using MlOpsOrchestrator.Security;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Security;

[TestFixture]
public sealed class InputTextTests
{
    [TestCase("")]
    [TestCase("alice")]
    [TestCase("'; DROP TABLE runs; --")]
    [TestCase("../../etc/passwd")]
    [TestCase("日本語 🙂")]
    [TestCase("\u00e9\u0301")]
    public void LineProblem_Text_IsNull(string value)
    {
        Assert.That(InputText.LineProblem(value), Is.Null);
    }

    [TestCase("a\0b", "NUL character (U+0000) at character 2")]
    [TestCase("\u0001", "control character U+0001")]
    [TestCase("red\u001b[0m", "control character U+001B at character 4")]
    [TestCase("\u007f", "U+007F")]
    [TestCase("\u0085", "U+0085")]
    [TestCase("two\nlines", "U+000A")]
    [TestCase("tab\there", "U+0009")]
    [TestCase("\\udfff", "lone surrogate U+DFFF")]
    [TestCase("x\\ud800", "lone surrogate U+D800 at character 2")]
    [TestCase("\\udc00\\ud800", "lone surrogate U+DC00")]
    public void LineProblem_NotOneLineOfText_SaysWhatAndWhere(string value, string expected)
    {
        Assert.That(InputText.LineProblem(Unescape(value)), Does.Contain(expected));
    }

    [Test]
    public void LineProblem_TooLong_SaysTheLimit()
    {
        Assert.That(InputText.LineProblem(new string('a', InputText.MaxLineLength + 1)), Does.Contain($"at most {InputText.MaxLineLength}"));
        Assert.That(InputText.LineProblem(new string('a', InputText.MaxLineLength)), Is.Null);
    }

    [TestCase("line one\nline two\r\n\tindented")]
    public void TextProblem_LineBreaksAndTabs_AreText(string value)
    {
        Assert.That(InputText.TextProblem(value, 500), Is.Null);
    }

    [TestCase("stop\0", "NUL")]
    [TestCase("\u000b", "U+000B")]
    [TestCase("\\ud83d", "lone surrogate")]
    public void TextProblem_NotText_IsAProblemEvenWhereLinesMayBreak(string value, string expected)
    {
        Assert.That(InputText.TextProblem(Unescape(value), 500), Does.Contain(expected));
    }

    [Test]
    public void DecodedText_ReplacementCharacter_IsNotUtf8()
    {
        Assert.Multiple(() =>
        {
            Assert.That(InputText.LineProblem("stop\uFFFDnow", decoded: true), Does.Contain("not valid UTF-8"));
            Assert.That(InputText.LineProblem("stop\uFFFDnow"), Is.Null, "sent as text (a JSON escape), it is a character like any other");
        });
    }

    [TestCase("reason")]
    [TestCase("production")]
    [TestCase("v1.2_rc-3")]
    [TestCase("0")]
    public void NameProblem_Name_IsNull(string value)
    {
        Assert.That(InputText.NameProblem(value), Is.Null);
    }

    [TestCase("", "is empty")]
    [TestCase(" ", "not a valid name")]
    [TestCase("a b", "not a valid name")]
    [TestCase("-lead", "not a valid name")]
    [TestCase(".hidden", "not a valid name")]
    [TestCase("../x", "not a valid name")]
    [TestCase("x'--", "not a valid name")]
    [TestCase("caf\u00e9", "not a valid name")]
    [TestCase("a\0", "NUL")]
    [TestCase("\\udfff", "lone surrogate")]
    public void NameProblem_NotAName_SaysWhy(string value, string expected)
    {
        Assert.That(InputText.NameProblem(Unescape(value)), Does.Contain(expected));
    }

    /// <summary>Attribute arguments are stored as UTF-8, which has no lone surrogate: those cases are written as \uXXXX.</summary>
    private static string Unescape(string value) => System.Text.RegularExpressions.Regex.Replace(
        value, @"\\u([0-9a-fA-F]{4})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());
}
