// The import defines <tsy-checkout> before React renders it, so React 19 sets `order` and `locale` as properties and
// adds `ontsy-success` as a listener for the `tsy-success` event (its name after `on`, as written).
import '@tsy/widgets';
import type {} from '@tsy/widgets/react';
import type { TsyEvent } from '@tsy/widgets';
import { useState } from 'react';

export function Checkout({ order }: { order: string }) {
  const [message, setMessage] = useState('');
  const onSuccess = (event: TsyEvent<'tsy-success'>) => {
    const { bizOrderNo, amount, settlement } = event.detail;
    setMessage(`Paid ¥${(amount / 100).toFixed(2)} (${bizOrderNo}, ${settlement})`);
  };
  return (
    <>
      <tsy-checkout api="/api/checkout" order={order} locale="en" ontsy-success={onSuccess} />
      <p id="message" role="status">{message}</p>
    </>
  );
}
