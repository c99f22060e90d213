using System.Text;

namespace MlOpsOrchestrator.ML.Trainers;

/// <summary>
/// Turns ML.NET's PascalCase member names into the snake_case names pipelines use. Acronyms stay one word
/// (<c>UseRMSE</c> → <c>use_rmse</c>, <c>HTTPServer</c> → <c>http_server</c>) and digits stick to the word
/// before them (<c>L2Regularization</c> → <c>l2_regularization</c>).
/// </summary>
internal static class SnakeCase
{
    public static string FromPascal(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && StartsWord(name, i))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    // An upper-case letter starts a new word after a lower-case letter or a digit ("NumberOf", "L2Reg"), and
    // also ends an acronym when a lower-case letter follows it ("HTTPServer": the 'S' starts "server").
    private static bool StartsWord(string name, int index)
    {
        var previous = name[index - 1];
        if (previous == '_')
        {
            return false;
        }

        if (char.IsLower(previous) || char.IsDigit(previous))
        {
            return true;
        }

        return char.IsUpper(previous) && index + 1 < name.Length && char.IsLower(name[index + 1]);
    }
}
