using MlOpsOrchestrator.Dashboard;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Dashboard;

[TestFixture]
public sealed class HtmlBuilderTests
{
    [Test]
    public void Add_InterpolatedValues_AreEncodedButMarkupIsNot()
    {
        var name = "<script>alert('x')</script>";
        var badge = HtmlBuilder.Fragment($"<b>{name}</b>");

        var html = new HtmlBuilder().Add($"<p title=\"{"a\"b"}\">{name} {badge} {3.5}</p>").ToString();

        Assert.That(html, Is.EqualTo("<p title=\"a&quot;b\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; <b>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</b> 3.5</p>"));
    }

    [Test]
    [SetCulture("de-DE")]
    public void Add_Numbers_UseInvariantCulture()
    {
        Assert.That(new HtmlBuilder().Add($"{0.25}").ToString(), Is.EqualTo("0.25"));
    }
}
