using Hangfire.Dashboard;
using MlOpsOrchestrator.Scheduling.Hangfire;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>On Hangfire's page of a job that executes a run: a link to the run's page (the run id is the job's only argument).</summary>
internal static class RunJobLink
{
    public static NonEscapedString Render(JobDetailsRendererDto details)
    {
        ArgumentNullException.ThrowIfNull(details);
        if (RunJobs.RunIdOf(details.JobDetails.Job) is not { } runId)
        {
            return new NonEscapedString(string.Empty);
        }

        var url = details.Page.Url.To("/runs/" + Uri.EscapeDataString(runId));
        return new NonEscapedString(HtmlBuilder.Fragment($"<div class=\"alert alert-info mlops-job-run\">This job executes run <a href=\"{url}\">{runId}</a>.</div>").Html);
    }
}
