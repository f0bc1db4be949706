/**
 * The subset of CEL that KFP's compiler writes into `triggerPolicy.condition`,
 * parsed into a tree (never evaluated):
 *
 *     inputs.parameter_values['pipelinechannel--flip-Output'] == 'heads'
 *     int(inputs.parameter_values['pipelinechannel--n']) > 3
 *     !(inputs.parameter_values['x'] == 'a') && inputs.parameter_values['x'] == 'b'   (an Elif)
 *
 * Comparisons of operands (`inputs.parameter_values[...]`, string / number /
 * boolean literals, `int(...)` / `double(...)` casts) with `== != < <= > >=`,
 * combined with `!`, `&&`, `||` and parentheses. Anything else is an error.
 */

export type CelOperand =
  | { kind: 'input'; name: string }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'cast'; to: 'int' | 'double'; operand: CelOperand };

export type CelComparator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type CelExpr =
  | { kind: 'compare'; op: CelComparator; left: CelOperand; right: CelOperand }
  | { kind: 'not'; arg: CelExpr }
  | { kind: 'and' | 'or'; args: CelExpr[] };

/** A CEL text outside the subset; `offset` is where parsing stopped. */
export class CelSyntaxError extends Error {
  override readonly name = 'CelSyntaxError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type Token =
  | { t: 'str'; v: string; at: number }
  | { t: 'num'; v: number; at: number }
  | { t: 'id'; v: string; at: number }
  | { t: 'op'; v: string; at: number };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', '.'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new CelSyntaxError('unterminated string', i);
      tokens.push({ t: 'str', v: text.slice(i + 1, end), at: i });
      i = end + 1;
    } else if (/[0-9-]/.test(c)) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) throw new CelSyntaxError(`unexpected "${c}"`, i);
      tokens.push({ t: 'num', v: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ t: 'id', v: m[0], at: i });
      i += m[0].length;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (!op) throw new CelSyntaxError(`unexpected "${c}"`, i);
      tokens.push({ t: 'op', v: op, at: i });
      i += op.length;
    }
  }
  return tokens;
}

/**
 * Parses a KFP trigger condition.
 *
 * @example
 * ```ts
 * parseCel("int(inputs.parameter_values['n']) > 3");
 * // { kind: 'compare', op: '>', left: { kind: 'cast', to: 'int', operand: { kind: 'input', name: 'n' } },
 * //   right: { kind: 'literal', value: 3 } }
 * ```
 */
export function parseCel(text: string): CelExpr {
  const parser = new Parser(tokenize(text), text.length);
  const expr = parser.or();
  parser.end();
  return expr;
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private fail(what: string): never {
    const token = this.peek();
    throw new CelSyntaxError(`expected ${what}`, token ? token.at : this.length);
  }

  private accept(op: string): boolean {
    const token = this.peek();
    if (token?.t === 'op' && token.v === op) {
      this.i++;
      return true;
    }
    return false;
  }

  private expect(op: string): void {
    if (!this.accept(op)) this.fail(`"${op}"`);
  }

  end(): void {
    if (this.peek()) this.fail('the end of the condition');
  }

  or(): CelExpr {
    const args = [this.and()];
    while (this.accept('||')) args.push(this.and());
    return args.length === 1 ? (args[0] as CelExpr) : { kind: 'or', args };
  }

  private and(): CelExpr {
    const args = [this.unary()];
    while (this.accept('&&')) args.push(this.unary());
    return args.length === 1 ? (args[0] as CelExpr) : { kind: 'and', args };
  }

  private unary(): CelExpr {
    if (this.accept('!')) return { kind: 'not', arg: this.unary() };
    if (this.accept('(')) {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): CelExpr {
    const left = this.operand();
    const token = this.peek();
    const comparators = ['==', '!=', '<', '<=', '>', '>='];
    if (token?.t !== 'op' || !comparators.includes(token.v)) this.fail('a comparison (== != < <= > >=)');
    this.i++;
    const right = this.operand();
    return { kind: 'compare', op: token.v as CelComparator, left, right };
  }

  private operand(): CelOperand {
    const token = this.peek();
    if (!token) return this.fail('a value');
    if (token.t === 'str' || token.t === 'num') {
      this.i++;
      return { kind: 'literal', value: token.v };
    }
    if (token.t === 'id' && (token.v === 'true' || token.v === 'false')) {
      this.i++;
      return { kind: 'literal', value: token.v === 'true' };
    }
    if (token.t === 'id' && (token.v === 'int' || token.v === 'double')) {
      this.i++;
      this.expect('(');
      const operand = this.operand();
      this.expect(')');
      return { kind: 'cast', to: token.v, operand };
    }
    if (token.t === 'id' && token.v === 'inputs') return this.input();
    return this.fail("a value: inputs.parameter_values['...'], a literal, int(...) or double(...)");
  }

  private input(): CelOperand {
    this.i++;
    this.expect('.');
    const field = this.peek();
    if (field?.t !== 'id' || field.v !== 'parameter_values') this.fail('parameter_values');
    this.i++;
    this.expect('[');
    const name = this.peek();
    if (name?.t !== 'str') this.fail('a quoted input name');
    this.i++;
    this.expect(']');
    return { kind: 'input', name: name.v };
  }
}
