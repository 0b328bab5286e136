//! The realtime port in process: the local runner registers every WebSocket it accepts here
//! and forwards what is pushed to it; a push to a socket that is gone answers `Gone`, as the
//! API Gateway management API answers 410.

use async_trait::async_trait;
use beseda_ports::realtime::{PushError, Realtime};
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::mpsc;

#[derive(Default)]
pub struct LocalHub {
    sockets: Mutex<HashMap<String, mpsc::UnboundedSender<String>>>,
}

impl LocalHub {
    /// Registers a new socket; its frames arrive on the returned receiver.
    pub fn connect(&self) -> (String, mpsc::UnboundedReceiver<String>) {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let (tx, rx) = mpsc::unbounded_channel();
        self.sockets.lock().unwrap_or_else(|e| e.into_inner()).insert(id.clone(), tx);
        (id, rx)
    }

    pub fn disconnect(&self, id: &str) {
        self.sockets.lock().unwrap_or_else(|e| e.into_inner()).remove(id);
    }
}

#[async_trait]
impl Realtime for LocalHub {
    async fn push(&self, connection_id: &str, payload: &str) -> Result<(), PushError> {
        let mut sockets = self.sockets.lock().unwrap_or_else(|e| e.into_inner());
        match sockets.get(connection_id) {
            Some(tx) if tx.send(payload.to_owned()).is_ok() => Ok(()),
            Some(_) => {
                sockets.remove(connection_id);
                Err(PushError::Gone)
            }
            None => Err(PushError::Gone),
        }
    }
}
