import { MEMBER_TYPES, SOURCES, VERIFICATION_CODE_TYPES } from './dictionaries.js';
import type { MethodTable } from './types.js';

/*
 * MemberService request tables (spec §4.1), the `param` rows. The member tables give no lengths and no phone or code
 * format, so none is checked here (the shared schema's are its own choice).
 */

export const createMember: MethodTable = {
  section: '§4.1.1 L509',
  param: {
    bizUserId: {
      section: '§4.1.1 L521',
      type: 'String',
      required: true,
      // "1.不能输入"中文" 2.不要使用系统保留用户标识:#yunBizUserId_B2C#": no platformPlaceholder, so the reserved id (and
      // any other #…# value) is refused. "中文" is read as Han characters.
      format: { pattern: /^[^\p{Script=Han}]*$/u, what: '不能输入中文' },
    },
    memberType: { section: '§4.1.1 L527, §6.1', type: 'Long', required: true, values: MEMBER_TYPES },
    source: { section: '§4.1.1 L528, §6.5', type: 'Long', required: true, values: SOURCES },
    extendParam: { section: '§4.1.1 L529', type: 'JSONObject', required: false, free: true },
  },
};

export const sendVerificationCode: MethodTable = {
  section: '§4.1.2 L543',
  param: {
    bizUserId: { section: '§4.1.2 L563', type: 'String', required: true },
    phone: { section: '§4.1.2 L565', type: 'String', required: true },
    verificationCodeType: { section: '§4.1.2 L566, §6.6', type: 'Long', required: true, values: VERIFICATION_CODE_TYPES },
  },
};

export const bindPhone: MethodTable = {
  section: '§4.1.3 L579',
  param: {
    bizUserId: { section: '§4.1.3 L605', type: 'String', required: true },
    phone: { section: '§4.1.3 L607', type: 'String', required: true },
    verificationCode: { section: '§4.1.3 L608', type: 'String', required: true },
  },
};

export const applyBindAcct: MethodTable = {
  section: '§4.1.23 L1648',
  param: {
    bizUserId: { section: '§4.1.23 L1671', type: 'String', required: true },
    operationType: { section: '§4.1.23 L1673', type: 'String', required: true, values: ['set'] },
    acctType: { section: '§4.1.23 L1676', type: 'String', required: true, values: ['weChatPublic', 'weChatMiniProgram', 'aliPayService'] },
    acct: { section: '§4.1.23 L1679', type: 'String', required: true },
  },
};
