// The PIN keypad: the counter's keypad (keypad.tsx) with the PIN's limits and words. It takes at most the
// chain's PIN length (`maxLength`, from the program's staff.pinLength), and keeps its larger keys. Its words
// come from i18n.t, not a hook: like Keypad it is a plain function of its props (the keypad tests call it so),
// and it re-renders with the PIN form, which redraws every half second.
import { i18n } from '../i18n/index.js';
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
      label={i18n.t('signIn.pinPad.label')}
      clearLabel={i18n.t('signIn.pinPad.clear')}
      deleteLabel={i18n.t('signIn.pinPad.deleteLast')}
      className="pin-pad"
      keyClassName="pin-key"
      {...(props.disabled === undefined ? {} : { disabled: props.disabled })}
    />
  );
}
