// The frame of every screen: a header (the heading and who it is for), a body that scrolls on its own, and
// an action bar with the screen's primary actions (Confirm sale, Redeem, Done…). The status bar above and
// the action bar below never scroll away, whatever the body holds (a 12-line basket, 10 rewards) and
// whatever the screen's size, from 1024×768 up (docs/architecture.md, "Counter layout"). Passing messages
// are not the screen's: they show in the counter's one message slot (hooks/use-transient-notice.ts).
import type { ReactNode } from 'react';

export interface ScreenLayoutProps {
  /** Names the screen for styles: 'sale', 'member'… */
  name?: string;
  /** The heading, and a line of context beside it. */
  header: ReactNode;
  /** What scrolls between the header and the action bar. */
  children: ReactNode;
  /** The screen's primary actions, in their order of importance. */
  actions?: ReactNode;
  /** Centred content (boot screens, sign-in). */
  centred?: boolean;
  /** Behind a dialog. */
  inert?: boolean;
}

export function ScreenLayout(props: ScreenLayoutProps) {
  const classes = ['screen', props.name, props.centred ? 'screen-center' : null].filter(Boolean);
  return (
    <main className={classes.join(' ')} inert={props.inert}>
      <div className="screen-head">{props.header}</div>
      <div className="screen-body">{props.children}</div>
      {props.actions ? <div className="action-bar">{props.actions}</div> : null}
    </main>
  );
}
