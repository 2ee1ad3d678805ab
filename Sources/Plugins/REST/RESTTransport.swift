import Core
import Hummingbird
