using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>
/// How taint moves through expressions (<see cref="Evaluate"/>) and into storage (<see cref="Transfer"/>).
/// Only what is known to keep the text: formatting, concatenation, encoding, containers, awaiting. A call to any
/// other method (a user helper, a hash) ends the flow of its result: a value returned through a helper is not
/// followed (documented limitation; no guesses, no noise). A helper that logs its parameter is handled by
/// <see cref="HelperSummaries"/>, at the call.
/// </summary>
internal sealed class TaintPropagation
{
    /// <summary>Types whose static or instance methods return text built from their arguments.</summary>
    private static readonly ImmutableArray<string> PropagatingTypes = ImmutableArray.Create(
        "System.String",
        "System.Text.StringBuilder",
        "System.Convert",
        "System.Text.Encoding",
        "System.Uri",
        "System.Net.WebUtility",
        "System.Web.HttpUtility",
        "System.Linq.Enumerable",
        "System.MemoryExtensions",
        "System.Text.Json.JsonSerializer",
        "System.Threading.Tasks.Task",
        "System.Threading.Tasks.ValueTask",
        "System.Collections.Generic.KeyValuePair",
        "System.Tuple",
        "System.ValueTuple",
        "Microsoft.Extensions.Primitives.StringValues");

    /// <summary>Types of a receiver whose instance methods return (part of) its text: <c>token.Trim()</c>, <c>values.ToArray()</c>.</summary>
    private static readonly ImmutableArray<string> TextTypes = ImmutableArray.Create(
        "System.String",
        "System.Text.StringBuilder",
        "Microsoft.Extensions.Primitives.StringValues",
        "System.ReadOnlySpan`1",
        "System.Span`1",
        "System.ReadOnlyMemory`1",
        "System.Memory`1");

    /// <summary>Methods that store an argument in their receiver (collections, builders, header collections).</summary>
    private static readonly ImmutableHashSet<string> StoringMethods = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Add", "AddRange", "Append", "AppendLine", "AppendFormat", "AppendJoin", "Insert", "Push", "Enqueue",
        "TryAdd", "TryAddWithoutValidation", "Prepend", "Set", "SetValue");

    /// <summary>Value types that cannot hold a token's text, whatever was computed from it.</summary>
    private static readonly ImmutableHashSet<string> NonTextTypes = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "System.DateTimeOffset", "System.TimeSpan", "System.Guid", "System.Threading.CancellationToken",
        "System.DateOnly", "System.TimeOnly");

    private readonly ResolvedTokenSources _sources;

    /// <summary>Set when values returned by helper methods are followed (<see cref="HelperReturns"/>); not inside a helper's own summary.</summary>
    private HelperReturns? _helperReturns;
    private readonly HashSet<INamedTypeSymbol> _propagatingTypes = new(SymbolEqualityComparer.Default);
    private readonly HashSet<INamedTypeSymbol> _textTypes = new(SymbolEqualityComparer.Default);
    private readonly INamedTypeSymbol? _enumerable;

    public TaintPropagation(Compilation compilation, ResolvedTokenSources sources)
    {
        _sources = sources;
        foreach (var name in PropagatingTypes)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                _propagatingTypes.Add(type);
            }
        }

        foreach (var name in TextTypes)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                _textTypes.Add(type);
            }
        }

        _enumerable = compilation.GetSpecialType(SpecialType.System_Collections_IEnumerable);
    }

    /// <summary>Follows values through helper methods' returns from now on (<see cref="HelperReturns"/>).</summary>
    public void FollowHelperReturns(HelperReturns helperReturns) => _helperReturns = helperReturns;

    /// <summary>
    /// The arguments of a call to a followed helper that carry a token into its return value (empty when the call is
    /// not to a followed helper, or no tainted argument reaches the return).
    /// </summary>
    public List<IOperation>? PassedThrough(IInvocationOperation invocation, TaintState state)
    {
        if (_helperReturns is null || !_helperReturns.IsFollowed(invocation.TargetMethod.OriginalDefinition))
        {
            return null;
        }

        List<IOperation>? passed = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && Evaluate(argument.Value, state) is not null
                && _helperReturns.PassesThrough(invocation.TargetMethod, parameter.Ordinal))
            {
                (passed ??= new List<IOperation>()).Add(argument.Value);
            }
        }

        return passed;
    }

    /// <summary>The cheap per-operation test that decides whether a body is analyzed at all.</summary>
    public bool TouchesSource(IOperation operation) =>
        _sources.Match(operation) is not null
        || TouchesCarrier(operation)
        || (operation is IInvocationOperation { TargetMethod.Name: "TryGetValue" or "TryGetValues" } lookup
            && ResolvedTokenSources.NamesCredentialHeader(lookup.Arguments));

    /// <summary>
    /// A read of, or from, a value of a carrier type (<see cref="TokenSources.Carriers"/>), a call that yields one, or
    /// a call that is given one (<c>logger.LogInformation("{@Result}", result)</c>).
    /// </summary>
    private bool TouchesCarrier(IOperation operation)
    {
        switch (operation)
        {
            case IPropertyReferenceOperation property:
                return IsCarrier(property.Type) || IsCarrier(property.Instance?.Type);
            case IInvocationOperation invocation:
                if (IsCarrier(invocation.Type) || IsCarrier(invocation.Instance?.Type))
                {
                    return true;
                }

                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Value is IArrayCreationOperation { IsImplicit: true, Initializer: { } parameters })
                    {
                        foreach (var element in parameters.ElementValues)
                        {
                            if (IsCarrier(Unconverted(element).Type))
                            {
                                return true;
                            }
                        }
                    }
                    else if (IsCarrier(Unconverted(argument.Value).Type))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>A carrier type, or a task of one (the call that acquires a token response).</summary>
    private bool IsCarrier(ITypeSymbol? type)
    {
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1, Name: "Task" or "ValueTask" } task)
        {
            type = task.TypeArguments[0];
        }

        return _sources.CarrierTaint(type) is not null;
    }

    private static IOperation Unconverted(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>The taint of an expression's value in <paramref name="state"/>; null when it carries no token.</summary>
    public Taint? Evaluate(IOperation? operation, TaintState state)
    {
        if (operation is null)
        {
            return null;
        }

        var taint = EvaluateCore(operation, state);

        // A token response or request headers carry the credential in known members, wherever the value came from.
        if (_sources.CarrierTaint(operation.Type) is { } carried)
        {
            taint = Taint.Union(taint, carried);
        }

        return taint is not null && operation.Type is { } type && CannotHoldText(type) ? null : taint;
    }

    private Taint? EvaluateCore(IOperation operation, TaintState state)
    {
        // A source read through an implicit this (a class derived from a token response) is still a source.
        if (operation is IPropertyReferenceOperation sourceProperty && _sources.Match(sourceProperty) is { } propertySource)
        {
            return SourceTaint(propertySource);
        }

        if (RootOf(operation) is { } root)
        {
            return state.Get(root);
        }

        switch (operation)
        {
            case IConversionOperation conversion:
                return Evaluate(conversion.Operand, state);
            case IInvocationOperation invocation:
                return EvaluateInvocation(invocation, state);
            case IPropertyReferenceOperation property:
                if (IsErrorBodyOfFailedResponse(property))
                {
                    return null;
                }

                return MemberOf(property.Instance, property.Property.IsIndexer ? null : property.Property.Name, state);
            case IFieldReferenceOperation field:
                return MemberOf(field.Instance, field.Field.Name, state, field.Field.CorrespondingTupleField?.Name);
            case IArrayElementReferenceOperation element:
                return Evaluate(element.ArrayReference, state) is null ? null : Taint.Whole;
            case IImplicitIndexerReferenceOperation indexer:
                return Evaluate(indexer.Instance, state) is null ? null : Taint.Whole;
            case IAwaitOperation await:
                return Evaluate(await.Operation, state);
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolationOperation hole && Evaluate(hole.Expression, state) is not null)
                    {
                        return Taint.Whole;
                    }
                }

                return null;
            case IInterpolatedStringHandlerCreationOperation handler:
                return Evaluate(handler.Content, state);
            case IInterpolatedStringAdditionOperation addition:
                return AnyWhole(state, addition.Left, addition.Right);
            case IBinaryOperation binary:
                return AnyWhole(state, binary.LeftOperand, binary.RightOperand);
            case ICoalesceOperation coalesce:
                return Taint.Union(Evaluate(coalesce.Value, state), Evaluate(coalesce.WhenNull, state));
            case IConditionalOperation conditional:
                return Taint.Union(Evaluate(conditional.WhenTrue, state), Evaluate(conditional.WhenFalse, state));
            case ISwitchExpressionOperation @switch:
                Taint? arms = null;
                foreach (var arm in @switch.Arms)
                {
                    arms = Taint.Union(arms, Evaluate(arm.Value, state));
                }

                return arms;
            case IObjectCreationOperation creation:
                return EvaluateCreation(creation, state);
            case IAnonymousObjectCreationOperation anonymous:
                return MembersOf(anonymous.Initializers, state);
            case ITupleOperation tuple:
                return EvaluateTuple(tuple, state);
            case IArrayCreationOperation array:
                return array.Initializer is null ? null : AnyWhole(state, array.Initializer.ElementValues);
            case IArgumentOperation argument:
                return Evaluate(argument.Value, state);
            case IAssignmentOperation assignment:
                return Evaluate(assignment.Value, state);
            case { Syntax: CollectionExpressionSyntax }:
                // [a, b]: an ICollectionExpressionOperation from Roslyn 4.9 on, an operation without a kind before (this
                // assembly builds against 4.8); either way its elements are its children.
                foreach (var element in operation.ChildOperations)
                {
                    if (Evaluate(element, state) is not null)
                    {
                        return Taint.Whole;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// <c>response.Raw</c> / <c>.Json</c> read inside <c>if (response.IsError) { … }</c>: the body of a failed token
    /// request is an error document with no token, and logging it is how failures are diagnosed.
    /// </summary>
    private static bool IsErrorBodyOfFailedResponse(IPropertyReferenceOperation property)
    {
        if (!TokenSources.ErrorBodyMembers.Contains(property.Property.Name)
            || property.Instance?.Syntax is not { } receiver
            || property.Syntax is not MemberAccessExpressionSyntax)
        {
            return false;
        }

        for (var node = property.Syntax.Parent; node is not null and not MemberDeclarationSyntax; node = node.Parent)
        {
            if (node is IfStatementSyntax { Condition: MemberAccessExpressionSyntax { Name.Identifier.ValueText: TokenSources.ErrorFlag } condition } branch
                && branch.Statement.Span.Contains(property.Syntax.Span)
                && SyntaxFactory.AreEquivalent(condition.Expression, receiver))
            {
                return true;
            }
        }

        return false;
    }

    private static Taint SourceTaint(TokenSource source) =>
        source.ExposedMember is null ? Taint.Whole : Taint.OfMembers(new[] { source.ExposedMember });

    private Taint? EvaluateInvocation(IInvocationOperation invocation, TaintState state)
    {
        if (_sources.Match(invocation) is { } source)
        {
            return SourceTaint(source);
        }

        var method = invocation.TargetMethod;
        var receiver = invocation.Instance is null ? null : Evaluate(invocation.Instance, state);

        // ToString() of anything that holds a token prints it (records, anonymous types, header values, builders).
        if (receiver is not null && (method.Name == "ToString" || IsTextType(invocation.Instance!.Type)))
        {
            return Taint.Whole;
        }

        // string.Format, string.Concat, Convert.ToBase64String, sb.Append, Enumerable.First, Task.FromResult, …
        var declaringType = (method.ReducedFrom ?? method).ContainingType?.OriginalDefinition;
        if (declaringType is not null && _propagatingTypes.Contains(declaringType))
        {
            foreach (var argument in invocation.Arguments)
            {
                if (Evaluate(argument.Value, state) is not null)
                {
                    return Taint.Whole;
                }
            }
        }

        // A helper of this compilation that returns (text built from) the token it was given.
        return PassedThrough(invocation, state) is not null ? Taint.Whole : null;
    }

    private Taint? EvaluateCreation(IObjectCreationOperation creation, TaintState state)
    {
        Taint? taint = null;
        var type = creation.Type as INamedTypeSymbol;
        var isDataCarrier = type is not null && (type.IsRecord || type.IsTupleType || IsTextType(type) || IsCollection(type) || _propagatingTypes.Contains(type.OriginalDefinition));
        foreach (var argument in creation.Arguments)
        {
            if (Evaluate(argument.Value, state) is null)
            {
                continue;
            }

            // new AuthenticationHeaderValue(scheme, parameter): the argument lands in the member of the same name.
            if (argument.Parameter is { } parameter && type is not null && FindInstanceMember(type, parameter.Name) is { } member)
            {
                taint = Taint.Union(taint, Taint.OfMembers(new[] { member }));
            }
            else if (isDataCarrier)
            {
                taint = Taint.Whole;
            }

            // Otherwise the object is a service given a credential (new SomeClient(token)): printing it does not print
            // the token, so it is not tainted. Precision over recall.
        }

        if (creation.Initializer is { } initializer)
        {
            taint = Taint.Union(taint, MembersOf(initializer.Initializers, state));
        }

        return taint;
    }

    /// <summary>Object and anonymous-type initializers: <c>Token = …</c> taints member <c>Token</c>; a collection element taints all.</summary>
    private Taint? MembersOf(ImmutableArray<IOperation> initializers, TaintState state)
    {
        Taint? taint = null;
        foreach (var initializer in initializers)
        {
            switch (initializer)
            {
                case IAssignmentOperation { Target: IMemberReferenceOperation target } assignment when Evaluate(assignment.Value, state) is not null:
                    taint = Taint.Union(taint, Taint.OfMembers(new[] { target.Member.Name }));
                    break;
                case IMemberInitializerOperation nested when MembersOf(nested.Initializer.Initializers, state) is not null:
                    taint = Taint.Union(taint, Taint.OfMembers(new[] { ((IMemberReferenceOperation)nested.InitializedMember).Member.Name }));
                    break;
                case IInvocationOperation add when AnyArgumentTainted(add, state):
                    taint = Taint.Whole;
                    break;
            }
        }

        return taint;
    }

    private Taint? EvaluateTuple(ITupleOperation tuple, TaintState state)
    {
        var names = new List<string>();
        var elements = (tuple.Type as INamedTypeSymbol)?.TupleElements ?? default;
        for (var i = 0; i < tuple.Elements.Length; i++)
        {
            if (Evaluate(tuple.Elements[i], state) is null)
            {
                continue;
            }

            names.Add("Item" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!elements.IsDefault && i < elements.Length)
            {
                names.Add(elements[i].Name);
            }
        }

        return names.Count == 0 ? null : Taint.OfMembers(names);
    }

    /// <summary>Reading a member of a tainted object: tainted when the whole object is, or when that member is.</summary>
    private Taint? MemberOf(IOperation? instance, string? member, TaintState state, string? alias = null)
    {
        if (instance is null || Evaluate(instance, state) is not { } taint)
        {
            return null;
        }

        return member is null || taint.Covers(member) || (alias is not null && taint.Covers(alias)) ? Taint.Whole : null;
    }

    private Taint? AnyWhole(TaintState state, params IOperation[] operands) => AnyWhole(state, ImmutableArray.Create(operands));

    private Taint? AnyWhole(TaintState state, ImmutableArray<IOperation> operands)
    {
        foreach (var operand in operands)
        {
            if (Evaluate(operand, state) is not null)
            {
                return Taint.Whole;
            }
        }

        return null;
    }

    private bool AnyArgumentTainted(IInvocationOperation invocation, TaintState state)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (Evaluate(argument.Value, state) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Applies the effects of one statement-level operation of a control-flow graph to <paramref name="state"/>:
    /// assignments taint or clean their target (reassigning a clean value kills the taint), storing calls taint
    /// their receiver, and a header <c>TryGetValue("Authorization", out v)</c> taints <c>v</c>.
    /// </summary>
    public void Transfer(IOperation statement, TaintState state)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IFlowCaptureOperation capture:
                    state.Set(capture.Id, Evaluate(capture.Value, state));
                    break;
                case ISimpleAssignmentOperation assignment:
                    Assign(assignment.Target, Evaluate(assignment.Value, state), state, strong: true);
                    break;
                case ICompoundAssignmentOperation or ICoalesceAssignmentOperation:
                    var compound = (IAssignmentOperation)operation;
                    Assign(compound.Target, Evaluate(compound.Value, state), state, strong: false);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    Deconstruct(deconstruction.Target, deconstruction.Value, state);
                    break;
                case IInvocationOperation invocation:
                    ApplyCallEffects(invocation, state);
                    break;
            }
        }
    }

    private void ApplyCallEffects(IInvocationOperation invocation, TaintState state)
    {
        var method = invocation.TargetMethod;
        if (invocation.Instance is { } receiver && StoringMethods.Contains(method.Name) && AnyArgumentTainted(invocation, state))
        {
            // builder.Append("a").Append(token): fluent calls return their receiver; the root is the builder.
            while (receiver is IInvocationOperation { Instance: { } inner } fluent && SymbolEqualityComparer.Default.Equals(fluent.Type, inner.Type))
            {
                receiver = inner;
            }

            Assign(receiver, Taint.Whole, state, strong: false);
        }

        if ((method.Name == "TryGetValue" || method.Name == "TryGetValues") && ResolvedTokenSources.NamesCredentialHeader(invocation.Arguments))
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.RefKind == RefKind.Out)
                {
                    Assign(argument.Value, Taint.Whole, state, strong: true);
                }
            }
        }
    }

    private void Deconstruct(IOperation target, IOperation value, TaintState state)
    {
        while (target is IDeclarationExpressionOperation declaration)
        {
            target = declaration.Expression;
        }

        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (target is not ITupleOperation targets)
        {
            Assign(target, Evaluate(value, state), state, strong: true);
            return;
        }

        if (value is ITupleOperation values && values.Elements.Length == targets.Elements.Length)
        {
            for (var i = 0; i < targets.Elements.Length; i++)
            {
                Deconstruct(targets.Elements[i], values.Elements[i], state);
            }

            return;
        }

        // Deconstructing an opaque value: each part may hold what the value held.
        var whole = Evaluate(value, state) is null ? null : Taint.Whole;
        foreach (var element in targets.Elements)
        {
            Assign(element, whole, state, strong: true);
        }
    }

    /// <summary>
    /// Writes <paramref name="taint"/> to a storage location. A root (local, parameter, capture, member of this) is
    /// replaced on a strong update; a member of a root (<c>result.Token = …</c>) updates only that member.
    /// </summary>
    private static void Assign(IOperation target, Taint? taint, TaintState state, bool strong)
    {
        if (target is IDeclarationExpressionOperation declaration)
        {
            target = declaration.Expression;
        }

        if (RootOf(target) is { } root)
        {
            state.Set(root, strong ? taint : Taint.Union(state.Get(root), taint));
            return;
        }

        // Walk a.B.C down to the root a, remembering the first member (B) below it.
        string? member = null;
        var current = target;
        while (RootOf(current) is null)
        {
            switch (current)
            {
                case IMemberReferenceOperation { Instance: { } instance } reference:
                    member = reference is IPropertyReferenceOperation { Property.IsIndexer: true } ? null : reference.Member.Name;
                    current = instance;
                    break;
                case IArrayElementReferenceOperation element:
                    member = null;
                    current = element.ArrayReference;
                    break;
                case IConversionOperation conversion:
                    current = conversion.Operand;
                    break;
                default:
                    return;
            }
        }

        var containerRoot = RootOf(current)!;
        var existing = state.Get(containerRoot);
        if (taint is not null)
        {
            state.Set(containerRoot, Taint.Union(existing, member is null ? Taint.Whole : Taint.OfMembers(new[] { member })));
        }
        else if (strong && member is not null && existing is not null && target is IMemberReferenceOperation { Instance: { } direct } && RootOf(direct) is not null)
        {
            // result.Token = null: that member is clean again (only for a direct member of the root).
            state.Set(containerRoot, existing.Without(member));
        }
    }

    /// <summary>The storage location an operation reads or writes as a whole, or null.</summary>
    public static object? RootOf(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFlowCaptureReferenceOperation capture => capture.Id,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property.IsIndexer: false } property => property.Property,
        _ => null,
    };

    private bool IsTextType(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (type.SpecialType == SpecialType.System_String)
        {
            return true;
        }

        if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Char or SpecialType.System_Byte })
        {
            return true;
        }

        return type is INamedTypeSymbol named && _textTypes.Contains(named.OriginalDefinition);
    }

    private bool IsCollection(INamedTypeSymbol type)
    {
        if (_enumerable is null)
        {
            return false;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(@interface, _enumerable))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The instance property or field a constructor parameter initializes, by name, ignoring case.</summary>
    private static string? FindInstanceMember(INamedTypeSymbol type, string parameterName)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (!member.IsStatic && member is IPropertySymbol or IFieldSymbol
                    && member.CanBeReferencedByName
                    && string.Equals(member.Name, parameterName, StringComparison.OrdinalIgnoreCase))
                {
                    return member.Name;
                }
            }
        }

        return null;
    }

    /// <summary>Numbers, booleans, characters, enums, dates and the like: derived from a token, they disclose nothing useful.</summary>
    internal static bool CannotHoldText(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_Decimal:
            case SpecialType.System_DateTime:
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
            case SpecialType.System_Void:
                return true;
        }

        return type.TypeKind == TypeKind.Enum || NonTextTypes.Contains(type.ToDisplayString());
    }
}
