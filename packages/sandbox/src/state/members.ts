import type { ACCT_TYPES } from '@tsy/yunst';
import { newUserId } from '../ids.js';

export type AcctType = (typeof ACCT_TYPES)[number];

export interface SandboxMember {
  readonly userId: string;
  readonly bizUserId: string;
  /** spec §6.1: 2 enterprise, 3 individual. */
  readonly memberType: 2 | 3;
  readonly source: 1 | 2;
  readonly createdAt: Date;
  phone: string | undefined;
  /** Payment-account ids bound with applyBindAcct (spec §4.1.23); a member may bind several. */
  readonly accts: { acctType: AcctType; acct: string }[];
  /** Simulated account balance in fen, drawn on by BALANCE. */
  balance: number;
  /** Wrong payment passwords in a row; at 3 the member is locked (30033). */
  passwordFailures: number;
}

/** The sandbox accepts this payment password for every member (there is no set-password flow). */
export const SANDBOX_PAYMENT_PASSWORD = '123456';
export const PASSWORD_ATTEMPTS = 3;

export class MemberStore {
  readonly #members = new Map<string, SandboxMember>();

  constructor(private readonly initialBalance: number) {}

  get(bizUserId: string): SandboxMember | undefined {
    return this.#members.get(bizUserId);
  }

  /** Creates the member, or returns undefined when the bizUserId is taken. */
  create(fields: { bizUserId: string; memberType: 2 | 3; source: 1 | 2; createdAt: Date }): SandboxMember | undefined {
    if (this.#members.has(fields.bizUserId)) return undefined;
    const member: SandboxMember = {
      ...fields,
      userId: newUserId(),
      phone: undefined,
      accts: [],
      balance: this.initialBalance,
      passwordFailures: 0,
    };
    this.#members.set(member.bizUserId, member);
    return member;
  }

  bindAcct(member: SandboxMember, acctType: AcctType, acct: string): void {
    if (!member.accts.some((bound) => bound.acctType === acctType && bound.acct === acct)) member.accts.push({ acctType, acct });
  }

  hasAcct(member: SandboxMember, acctType: AcctType, acct: string): boolean {
    return member.accts.some((bound) => bound.acctType === acctType && bound.acct === acct);
  }

  all(): SandboxMember[] {
    return [...this.#members.values()];
  }
}
