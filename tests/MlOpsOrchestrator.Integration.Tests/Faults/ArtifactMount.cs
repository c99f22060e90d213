using System.Diagnostics;
using System.Globalization;
using NUnit.Framework;

namespace MlOpsOrchestrator.Integration.Tests.Faults;

/// <summary>
/// A small tmpfs mounted over a folder, to make a disk full or read-only for real: the <c>ENOSPC</c> and <c>EROFS</c>
/// a process then gets come from the kernel, as on a real server. Mounting needs root (and the right to mount):
/// without them the test is skipped with the reason, except on CI (<c>CI=true</c>), where it fails, since CI runs as
/// root. Unmounted when disposed.
/// </summary>
internal sealed class ArtifactMount : IAsyncDisposable
{
    private ArtifactMount(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> over <paramref name="folder"/> (created when missing).</summary>
    public static async Task<ArtifactMount> TmpfsAsync(string folder, long bytes)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Unavailable("mounting a small tmpfs to fill or lock a disk needs root");
        }

        Directory.CreateDirectory(folder);
        try
        {
            await RunAsync("mount", "-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={bytes}"), "tmpfs", folder);
        }
        catch (InvalidOperationException e)
        {
            Unavailable($"root cannot mount here (a container without CAP_SYS_ADMIN?): {e.Message}");
        }

        return new ArtifactMount(folder);
    }

    /// <summary>Fills the file system until only about <paramref name="leftBytes"/> stay free.</summary>
    public async Task FillAsync(string fileName, long leftBytes)
    {
        var free = new DriveInfo(Folder).AvailableFreeSpace;
        var filler = new byte[Math.Max(0, free - leftBytes)];
        await File.WriteAllBytesAsync(Path.Combine(Folder, fileName), filler);
    }

    public Task ReadOnlyAsync() => RunAsync("mount", "-o", "remount,ro", Folder);

    public Task WritableAsync() => RunAsync("mount", "-o", "remount,rw", Folder);

    public async ValueTask DisposeAsync() => await RunAsync("umount", "-l", Folder);

    /// <summary>The policy of every missing dependency: fail on CI, which must have it, skip with the reason elsewhere.</summary>
    private static void Unavailable(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{reason}; CI runs the fault suite as root, able to mount");
        }

        Assert.Ignore(reason);
    }

    private static async Task RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Trim()}");
        }
    }
}
