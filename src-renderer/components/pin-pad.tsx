// The PIN keypad: the counter's keypad (keypad.tsx) with the PIN's limits and words. It takes at most the
// chain's PIN length (`maxLength`, from the program's staff.pinLength), and keeps its larger keys.
import { Keypad } from './keypad.js';

export function PinPad(props: {
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
  disabled?: boolean;
}) {
  return (
    <Keypad
      value={props.value}
      onChange={props.onChange}
      maxLength={props.maxLength}
      label="PIN keypad"
      clearLabel="Clear PIN"
      deleteLabel="Delete last digit"
      className="pin-pad"
      keyClassName="pin-key"
      {...(props.disabled === undefined ? {} : { disabled: props.disabled })}
    />
  );
}
