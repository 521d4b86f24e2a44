// An on-screen numeric keypad for PINs: touch-first tills often have no keyboard in reach. It edits the
// same value as the PIN field, so a keyboard works as well.
export function PinPad(props: { value: string; onChange: (value: string) => void; disabled?: boolean }) {
  const { value, onChange, disabled } = props;
  const press = (digit: string) => {
    if (value.length < 8) onChange(value + digit);
  };
  const digits = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
  return (
    <div className="pin-pad" role="group" aria-label="PIN keypad">
      {digits.map((d) => (
        <button key={d} type="button" className="pin-key" disabled={disabled} onClick={() => press(d)}>
          {d}
        </button>
      ))}
      <button
        type="button"
        className="pin-key pin-key-action"
        disabled={disabled}
        aria-label="Clear PIN"
        onClick={() => onChange('')}
      >
        Clear
      </button>
      <button type="button" className="pin-key" disabled={disabled} onClick={() => press('0')}>
        0
      </button>
      <button
        type="button"
        className="pin-key pin-key-action"
        disabled={disabled}
        aria-label="Delete last digit"
        onClick={() => onChange(value.slice(0, -1))}
      >
        ⌫
      </button>
    </div>
  );
}
