// Keeps one part of the window failing on its own: an error while rendering
// it (a chart library refusing the locale, a bug) shows a message there and
// leaves the rest of the dashboard working.

import { Component } from "react";
import type { ErrorInfo, ReactNode } from "react";

interface Props {
  /** What failed, for the message ("The charts"). */
  what: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`DevTeam: ${this.props.what} failed`, error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="pane__notice pane__notice--error" role="alert" data-testid="render-error">
        {this.props.what} could not be shown: {this.state.error.message}{" "}
        <button type="button" className="btn btn--small" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
