using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests;

public sealed class RealDataTests
{
    [Test]
    public void Require_Iris_HasHeaderAnd150Rows()
    {
        var path = RealData.Require("iris/iris.txt");

        Assert.That(File.ReadLines(path).Count(), Is.EqualTo(151));
    }

    [Test]
    public void Root_FromTestDirectory_HoldsTheSolution()
    {
        Assert.That(RepositoryPaths.Combine("MlOpsOrchestrator.sln"), Does.Exist);
    }
}
