using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DezhiHub.Tests.Infrastructure;

/// <summary>One <c>AuditTrail.Record</c> call: where it is, the actions and entity types it can write and the snapshot fields it writes.</summary>
public sealed record AuditRecordCall(string Location, IReadOnlyList<string> Actions, IReadOnlyList<string> EntityTypes, IReadOnlyList<string> Fields);

/// <summary>
/// Reads every <c>AuditTrail.Record(db, actor, action, entityType, entityId, orgNodeId, before, after)</c> call in the web
/// project's C# and Razor sources with Roslyn, and follows its arguments to the field names the snapshots get: anonymous
/// objects (with nested ones), locals, parameters (through the calls of their method), snapshot methods and records of the
/// same class, dictionaries keyed by literals or <c>nameof</c>. Fail-closed: an argument it cannot follow is reported as
/// unreadable, so a new call cannot slip past the tests that need every field to have a label.
/// </summary>
public static partial class AuditRecordCalls
{
    public static (IReadOnlyList<AuditRecordCall> Calls, IReadOnlyList<string> Unreadable) Scan(string webProject)
    {
        var calls = new List<AuditRecordCall>();
        var unreadable = new List<string>();
        var sources = Sources(webProject).ToList();
        // String constants by "Type.Name", for entity types such as BookingService.Entity.
        // Constants of the domain too: a domain event names its actions there (BookingChanged.Approved).
        var domain = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(webProject).TrimEnd(Path.DirectorySeparatorChar))!, "DezhiHub.Domain");
        var constants = sources.Concat(Sources(domain))
            .SelectMany(s => s.Tree.GetRoot().DescendantNodes().OfType<FieldDeclarationSyntax>())
            .Where(f => f.Modifiers.Any(SyntaxKind.ConstKeyword) && f.Parent is TypeDeclarationSyntax)
            .SelectMany(f => f.Declaration.Variables
                .Where(v => v.Initializer?.Value is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression))
                .Select(v => KeyValuePair.Create($"{((TypeDeclarationSyntax)f.Parent!).Identifier.Text}.{v.Identifier.Text}", ((LiteralExpressionSyntax)v.Initializer!.Value).Token.ValueText)))
            .GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.First().Value);
        foreach (var (file, tree) in sources)
        {
            foreach (var call in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().Where(IsRecordCall))
            {
                var location = $"{Path.GetFileName(file)}:{call.GetLocation().GetLineSpan().StartLinePosition.Line + 1}";
                var reader = new Reader(location, unreadable, constants);
                // Record(db, actor, action, …) or RecordAs(db, actorUserId, actorName, action, …): the same arguments from "action" on.
                var args = call.ArgumentList.Arguments;
                var at = IsRecordAs(call) ? 1 : 0;
                var actions = reader.Strings(args[2 + at].Expression, 0);
                var entityTypes = reader.Strings(args[3 + at].Expression, 0);
                var fields = new SortedSet<string>(StringComparer.Ordinal);
                reader.Fields(args[6 + at].Expression, fields, 0);
                reader.Fields(args[7 + at].Expression, fields, 0);
                calls.Add(new AuditRecordCall(location, actions, entityTypes, [.. fields]));
            }
        }

        return (calls, unreadable);
    }

    private static bool IsRecordCall(InvocationExpressionSyntax call) =>
        call.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "Record" or "RecordAs" } access
        && call.ArgumentList.Arguments.Count == (IsRecordAs(call) ? 9 : 8)
        && access.Expression.ToString().Contains("udit", StringComparison.Ordinal);

    private static bool IsRecordAs(InvocationExpressionSyntax call) =>
        call.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "RecordAs" };

    private static IEnumerable<(string File, SyntaxTree Tree)> Sources(string webProject)
    {
        var separator = Path.DirectorySeparatorChar;
        foreach (var file in Directory.EnumerateFiles(webProject, "*.*", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal)
                         && !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal)
                         && !f.Contains($"{separator}Migrations{separator}", StringComparison.Ordinal)))
        {
            if (file.EndsWith(".cs", StringComparison.Ordinal))
            {
                yield return (file, CSharpSyntaxTree.ParseText(File.ReadAllText(file)));
            }
            else if (file.EndsWith(".razor", StringComparison.Ordinal))
            {
                // A component's @code block is the body of a class; the markup above it holds no Record calls worth reading.
                var text = File.ReadAllText(file);
                var code = CodeBlock().Match(text);
                if (code.Success)
                {
                    yield return (file, CSharpSyntaxTree.ParseText($"class RazorComponent {{ {text[(code.Index + code.Length)..text.LastIndexOf('}')]} }}"));
                }
                else if (text.Contains("udit.Record(", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{file}: a Record call outside an @code block");
                }
            }
        }
    }

    [GeneratedRegex(@"^@code\s*\{", RegexOptions.Multiline)]
    private static partial Regex CodeBlock();

    private sealed class Reader(string location, List<string> unreadable, IReadOnlyDictionary<string, string> constants)
    {
        private const int MaxDepth = 8;

        /// <summary>The string values an action argument can take.</summary>
        public List<string> Strings(ExpressionSyntax expression, int depth)
        {
            switch (Unwrap(expression))
            {
                case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                    return [literal.Token.ValueText];
                case ConditionalExpressionSyntax conditional:
                    return [.. Strings(conditional.WhenTrue, depth + 1), .. Strings(conditional.WhenFalse, depth + 1)];
                case InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "nameof" } } nameOf
                    when InferredName(nameOf.ArgumentList.Arguments[0].Expression) is { } named:
                    return [named];
                case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax type } access
                    when constants.TryGetValue($"{type.Identifier.Text}.{access.Name.Identifier.Text}", out var constant):
                    return [constant];
                case IdentifierNameSyntax name when depth < MaxDepth && Sources(name) is { } sources:
                    return [.. sources.SelectMany(s => Strings(s, depth + 1))];
                // A domain event's Action (change.Action): every action its record declares as a constant.
                case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax owner, Name.Identifier.Text: "Action" }
                    when owner.Ancestors().OfType<BaseMethodDeclarationSyntax>().FirstOrDefault()?.ParameterList.Parameters
                        .FirstOrDefault(p => p.Identifier.Text == owner.Identifier.Text)?.Type?.ToString() is { } eventType
                        && constants.Keys.Where(k => k.StartsWith(eventType + ".", StringComparison.Ordinal)).ToList() is { Count: > 0 } declared:
                    return [.. declared.Select(k => constants[k])];
                case IdentifierNameSyntax name
                    when name.Ancestors().OfType<TypeDeclarationSyntax>().FirstOrDefault() is { } type
                        && constants.TryGetValue($"{type.Identifier.Text}.{name.Identifier.Text}", out var constant):
                    return [constant];
                default:
                    Unreadable(expression);
                    return [];
            }
        }

        /// <summary>Adds the field names a snapshot argument writes (nested objects' too).</summary>
        public void Fields(ExpressionSyntax expression, ISet<string> fields, int depth)
        {
            if (depth > MaxDepth)
            {
                Unreadable(expression);
                return;
            }

            switch (Unwrap(expression))
            {
                case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NullLiteralExpression) || literal.IsKind(SyntaxKind.DefaultLiteralExpression):
                    return;
                case ConditionalExpressionSyntax conditional:
                    Fields(conditional.WhenTrue, fields, depth + 1);
                    Fields(conditional.WhenFalse, fields, depth + 1);
                    return;
                case AnonymousObjectCreationExpressionSyntax anonymous:
                    foreach (var member in anonymous.Initializers)
                    {
                        if ((member.NameEquals?.Name.Identifier.Text ?? InferredName(member.Expression)) is { } name)
                        {
                            fields.Add(name);
                        }
                        else
                        {
                            Unreadable(member);
                        }

                        Nested(member.Expression, fields, depth + 1);
                    }

                    return;
                case BaseObjectCreationExpressionSyntax creation when creation.Initializer is { } initializer
                    && initializer.Expressions.All(e => e is AssignmentExpressionSyntax { Left: ImplicitElementAccessSyntax }):
                    // new Dictionary<string, object?> { ["Name"] = …, [nameof(r.Kind)] = … }
                    foreach (var key in initializer.Expressions.Cast<AssignmentExpressionSyntax>().Select(a => ((ImplicitElementAccessSyntax)a.Left).ArgumentList.Arguments[0].Expression))
                    {
                        if (KeyName(key) is { } name)
                        {
                            fields.Add(name);
                        }
                        else
                        {
                            Unreadable(key);
                        }
                    }

                    return;
                case BaseObjectCreationExpressionSyntax creation when RecordParameters(creation) is { } parameters:
                    fields.UnionWith(parameters);
                    return;
                case WithExpressionSyntax with:
                    Fields(with.Expression, fields, depth + 1);
                    return;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "Where" or "ToDictionary" or "ToArray" or "ToList" } access }:
                    // A filtered copy of a snapshot keeps (some of) its names.
                    Fields(access.Expression, fields, depth + 1);
                    return;
                case InvocationExpressionSyntax { Expression: IdentifierNameSyntax method } invocation when Returns(invocation, method.Identifier.Text) is { Count: > 0 } returned:
                    foreach (var value in returned)
                    {
                        Fields(value, fields, depth + 1);
                    }

                    return;
                case IdentifierNameSyntax name when Sources(name) is { Count: > 0 } sources:
                    foreach (var source in sources)
                    {
                        Fields(source, fields, depth + 1);
                    }

                    return;
                default:
                    Unreadable(expression);
                    return;
            }
        }

        /// <summary>A member's value that is itself an object or a list of objects (a local filled with <c>.Add(new { … })</c>).</summary>
        private void Nested(ExpressionSyntax expression, ISet<string> fields, int depth)
        {
            switch (Unwrap(expression))
            {
                case AnonymousObjectCreationExpressionSyntax anonymous:
                    Fields(anonymous, fields, depth);
                    return;
                case IdentifierNameSyntax name when Member(name) is { } member:
                    foreach (var added in member.DescendantNodes().OfType<InvocationExpressionSyntax>()
                                 .Where(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "Add", Expression: IdentifierNameSyntax target }
                                     && target.Identifier.Text == name.Identifier.Text)
                                 .Select(i => i.ArgumentList.Arguments[0].Expression)
                                 .Where(a => Unwrap(a) is AnonymousObjectCreationExpressionSyntax))
                    {
                        Fields(added, fields, depth);
                    }

                    return;
            }
        }

        /// <summary>What an identifier can stand for: a local's initializer, or a parameter's arguments at the calls of its method.</summary>
        private List<ExpressionSyntax>? Sources(IdentifierNameSyntax name)
        {
            var text = name.Identifier.Text;
            if (Member(name) is not { } member)
            {
                return null;
            }

            var locals = member.DescendantNodes().OfType<VariableDeclaratorSyntax>()
                .Where(v => v.Identifier.Text == text && v.Initializer is not null).Select(v => v.Initializer!.Value).ToList();
            if (locals.Count > 0)
            {
                return locals;
            }

            if (Deconstructed(member, text) is { Count: > 0 } elements)
            {
                return elements;
            }

            if (member is not MethodDeclarationSyntax method)
            {
                return null;
            }

            var index = method.ParameterList.Parameters.IndexOf(p => p.Identifier.Text == text);
            if (index < 0)
            {
                return null;
            }

            var type = method.Ancestors().OfType<TypeDeclarationSyntax>().First();
            var arguments = new List<ExpressionSyntax>();
            foreach (var call in type.DescendantNodes().OfType<InvocationExpressionSyntax>().Where(i => CalledName(i) == method.Identifier.Text))
            {
                var args = call.ArgumentList.Arguments;
                var argument = args.FirstOrDefault(a => a.NameColon?.Name.Identifier.Text == text) ?? (index < args.Count && args[index].NameColon is null ? args[index] : null);
                if (argument is null)
                {
                    return null;
                }

                arguments.Add(argument.Expression);
            }

            return arguments.Count > 0 ? arguments : null;
        }

        /// <summary>
        /// The values a deconstructed local takes: <c>var (first, before, after) = await Method(…)</c> reads the element at
        /// its position in each tuple the method (of the same class) returns.
        /// </summary>
        private static List<ExpressionSyntax>? Deconstructed(SyntaxNode member, string local)
        {
            foreach (var assignment in member.DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                if (assignment.Left is not DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax designation })
                {
                    continue;
                }

                var index = designation.Variables.IndexOf(v => v is SingleVariableDesignationSyntax single && single.Identifier.Text == local);
                var call = (assignment.Right is AwaitExpressionSyntax awaited ? awaited.Expression : assignment.Right) as InvocationExpressionSyntax;
                if (index < 0 || call is null || CalledName(call) is not { } method || Returns(call, method) is not { Count: > 0 } returned)
                {
                    continue;
                }

                var elements = returned.Select(r => Unwrap(r) is TupleExpressionSyntax tuple && index < tuple.Arguments.Count ? tuple.Arguments[index].Expression : null).ToList();
                return elements.All(e => e is not null) ? [.. elements.OfType<ExpressionSyntax>()] : null;
            }

            return null;
        }

        /// <summary>The values a method of the same class returns (expression body or return statements).</summary>
        private static List<ExpressionSyntax>? Returns(SyntaxNode from, string methodName)
        {
            var type = from.Ancestors().OfType<TypeDeclarationSyntax>().FirstOrDefault();
            var methods = type?.Members.OfType<MethodDeclarationSyntax>().Where(m => m.Identifier.Text == methodName).ToList();
            if (methods is not { Count: > 0 })
            {
                return null;
            }

            return [.. methods.SelectMany(m => m.ExpressionBody is { } body
                ? [body.Expression]
                : m.Body?.DescendantNodes().OfType<ReturnStatementSyntax>().Select(r => r.Expression).OfType<ExpressionSyntax>() ?? [])];
        }

        /// <summary>The parameters of a positional record created here (<c>new(…)</c> in a method returning it, or <c>new T(…)</c>).</summary>
        private static IEnumerable<string>? RecordParameters(BaseObjectCreationExpressionSyntax creation)
        {
            var typeName = creation switch
            {
                ObjectCreationExpressionSyntax { Type: IdentifierNameSyntax named } => named.Identifier.Text,
                ImplicitObjectCreationExpressionSyntax => creation.Ancestors().OfType<MethodDeclarationSyntax>().FirstOrDefault()?.ReturnType is IdentifierNameSyntax returned
                    ? returned.Identifier.Text
                    : null,
                _ => null,
            };
            var record = typeName is null
                ? null
                : creation.SyntaxTree.GetRoot().DescendantNodes().OfType<RecordDeclarationSyntax>().FirstOrDefault(r => r.Identifier.Text == typeName);
            return record?.ParameterList?.Parameters.Select(p => p.Identifier.Text);
        }

        private static SyntaxNode? Member(SyntaxNode node) =>
            node.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax);

        private static string? CalledName(InvocationExpressionSyntax call) => call.Expression switch
        {
            IdentifierNameSyntax name => name.Identifier.Text,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.Text,
            _ => null,
        };

        private static string? InferredName(ExpressionSyntax expression) => Unwrap(expression) switch
        {
            IdentifierNameSyntax name => name.Identifier.Text,
            MemberAccessExpressionSyntax access => access.Name.Identifier.Text,
            ConditionalAccessExpressionSyntax { WhenNotNull: MemberBindingExpressionSyntax binding } => binding.Name.Identifier.Text,
            _ => null,
        };

        private static string? KeyName(ExpressionSyntax key) => Unwrap(key) switch
        {
            LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.ValueText,
            InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "nameof" } } nameOf => InferredName(nameOf.ArgumentList.Arguments[0].Expression),
            _ => null,
        };

        private static ExpressionSyntax Unwrap(ExpressionSyntax expression) => expression switch
        {
            ParenthesizedExpressionSyntax parenthesized => Unwrap(parenthesized.Expression),
            CastExpressionSyntax cast => Unwrap(cast.Expression),
            PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } bang => Unwrap(bang.Operand),
            _ => expression,
        };

        private void Unreadable(SyntaxNode node) =>
            unreadable.Add($"{location}: cannot see the field names of `{node}`");
    }
}
