// An on-screen numeric keypad for PINs: touch-first tills often have no keyboard in reach. It edits the
// same value as the PIN field, so a keyboard works as well. It takes at most the chain's PIN length
// (`maxLength`, from the program's staff.pinLength).
export function PinPad(props: {
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
  disabled?: boolean;
}) {
  const { value, onChange, disabled, maxLength } = props;
  const press = (digit: string) => {
    if (value.length < maxLength) onChange(value + digit);
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
